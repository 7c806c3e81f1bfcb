"""Mistakes named by reproducing them (grader/checking/reproduce.py): each change is named on the
answer it computes, and the mechanism stays silent on answers that only resemble one, on answers
two changes explain alike, and on hostile values."""

import torch
import torch.nn.functional as F

from grader.checking.reproduce import candidates, reproduced


def conv(image, kernel, stride=1, padding=0):
    return F.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding)[0, 0]


def size(size, kernel_size, stride=1, padding=0):
    out = (size + 2 * padding - kernel_size) // stride + 1
    if out < 1:
        raise ValueError("does not fit")
    return out


NAMES = ["image", "kernel", "stride", "padding"]


def named(answer, correct, args, names, what="f"):
    mistake = reproduced(correct, args, names, what=what)
    return mistake.message if mistake.matches(answer) else ""


def test_a_transposed_kernel_is_named():
    torch.manual_seed(0)
    image, kernel = torch.randn(6, 7), torch.randn(3, 3)
    said = named(conv(image, kernel.T), conv, [image, kernel, 1, 0], NAMES, "convolve2d")
    assert "the kernel transposed" in said and said.startswith("convolve2d returned exactly")


def test_each_tensor_change_and_padding_are_named_on_their_own_answer():
    torch.manual_seed(1)
    image, kernel = torch.randn(6, 7), torch.randn(3, 2)
    for words, answer in [
        ("flipped upside down", conv(image, kernel.flip(0))),
        ("flipped left to right", conv(image, kernel.flip(1))),
        ("rotated by 180", conv(image, kernel.flip(0, 1))),
        ("padding=1 instead of 0", conv(image, kernel, 1, 1)),
        ("stride=2 instead of 1", conv(image, kernel, 2, 0)),
    ]:
        assert words in named(answer, conv, [image, kernel, 1, 0], NAMES), words


def test_silent_when_one_value_differs_from_the_reproduced_answer():
    torch.manual_seed(2)
    image, kernel = torch.randn(6, 7), torch.randn(3, 3)
    near = conv(image, kernel.T)
    near[2, 3] += 0.5
    assert named(near, conv, [image, kernel, 1, 0], NAMES) == ""


def test_a_sign_is_not_placed_on_one_input_when_either_explains_it():
    # conv(image, -kernel) == conv(-image, kernel): which input lost its sign is not proven
    image, kernel = torch.randn(5, 6), torch.randn(3, 3)
    assert named(conv(image, -kernel), conv, [image, kernel, 1, 0], NAMES) == ""


def test_silent_when_two_changes_give_the_same_answer():
    # transposing [[a, b], [c, a]] gives [[a, c], [b, a]], as rotating it by 180 degrees does
    torch.manual_seed(3)
    image, kernel = torch.randn(5, 5), torch.tensor([[1.0, 2.0], [3.0, 1.0]])
    assert torch.equal(kernel.T, kernel.flip(0, 1))
    assert named(conv(image, kernel.T), conv, [image, kernel, 1, 0], NAMES) == ""


def test_a_correct_answer_names_nothing():
    image, kernel = torch.randn(5, 5), torch.randn(3, 3)
    assert named(conv(image, kernel), conv, [image, kernel, 1, 0], NAMES) == ""


def test_swapped_numbers_are_named_but_not_numbers_one_off_for_a_single_number():
    names = ["size", "kernel_size", "stride", "padding"]
    assert "stride and padding swapped" in named(size(12, 3, 1, 2), size, [12, 3, 2, 1], names)
    # (28 + 2 - 3) // 1 is also the answer of kernel_size=4 or size=27: a number one off proves
    # nothing about which input the code mishandled
    assert named(27, size, [28, 3, 1, 1], names) == ""
    assert not any("instead" in words for words, _ in candidates([28, 3, 1, 1], names, False))


def test_hostile_answers_are_silent_and_never_raise():
    image, kernel = torch.randn(5, 5), torch.randn(3, 3)
    for answer in [
        None,
        "text",
        3,
        torch.full((3, 3), float("nan")),
        torch.zeros(0),
        torch.zeros(3, 3, dtype=torch.complex64),
        torch.ones(3, 3, dtype=torch.bool),
        [[1.0] * 3] * 3,
    ]:
        assert named(answer, conv, [image, kernel, 1, 0], NAMES) == ""


def test_a_correct_function_that_refuses_a_change_reproduces_nothing():
    def picky(image, kernel, stride=1, padding=0):
        if padding:
            raise ValueError("no padding here")
        return conv(image, kernel, stride, 0)

    image, kernel = torch.randn(5, 5), torch.randn(3, 3)
    assert named(conv(image, kernel, 1, 1), picky, [image, kernel, 1, 0], NAMES) == ""


def test_random_wrong_answers_never_match():
    generator = torch.Generator().manual_seed(4)
    for trial in range(100):
        rows, cols = (int(n) for n in torch.randint(3, 9, (2,), generator=generator))
        image = torch.randn(rows, cols, generator=generator)
        kernel = torch.randn(2, 3, generator=generator)
        right = conv(image, kernel)
        answer = right + torch.randn(right.shape, generator=generator) * 0.1
        assert named(answer, conv, [image, kernel, 1, 0], NAMES) == "", trial
