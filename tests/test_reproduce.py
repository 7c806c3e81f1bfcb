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

    def swapped(n, k, s=1, p=0):
        return size(n, k, p, s)

    mistake = reproduced(
        size, [12, 3, 2, 1], names, what="f", confirm=swapped, others=[[12, 3, 2, 1], [10, 3, 3, 1]]
    )
    assert mistake.matches(size(12, 3, 1, 2)) and "stride and padding swapped" in mistake.message
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


def _count(cin, cout, k, bias):
    return cout * cin * k * k + (cout if bias else 0)


def _count_without_kh(cin, cout, k, bias):
    return cout * cin * k + (cout if bias else 0)


COUNT_NAMES = ["in_channels", "out_channels", "kernel_size", "bias"]
COUNT_CASES = [[1, 4, 3, True], [4, 8, 3, True], [2, 6, 1, False]]


def test_a_single_number_is_named_only_when_the_change_gives_the_learners_answer_elsewhere():
    args = [1, 4, 3, True]  # without kh: 1 * 4 * 3 + 4 = 16, also the count of (3, 4, 1)
    answer = _count_without_kh(*args)
    assert answer == _count(3, 4, 1, True)
    alone = reproduced(_count, args, COUNT_NAMES, what="count")
    assert not alone.matches(answer)  # one number, no second input: nothing proven
    elsewhere = reproduced(
        _count, args, COUNT_NAMES, what="count", confirm=_count_without_kh, others=COUNT_CASES
    )
    assert not elsewhere.matches(answer)  # on (4, 8, 3) the swap gives 392, the learner 104

    def truly_swapped(cin, cout, k, bias):
        return _count(k, cout, cin, bias)

    proven = reproduced(
        _count, args, COUNT_NAMES, what="count", confirm=truly_swapped, others=COUNT_CASES
    )
    assert proven.matches(truly_swapped(*args))
    assert "in_channels and kernel_size swapped" in proven.message


def test_a_confirmation_that_raises_or_tells_nothing_apart_proves_nothing():
    args = [1, 4, 3, True]

    def refuses(*a):
        raise ValueError("no")

    raising = reproduced(_count, args, COUNT_NAMES, what="c", confirm=refuses, others=COUNT_CASES)
    assert not raising.matches(_count(3, 4, 1, True))
    # the only other input has in_channels == kernel_size: the swap changes nothing there
    same = reproduced(_count, args, COUNT_NAMES, what="c", confirm=_count, others=[[3, 4, 3, True]])
    assert not same.matches(_count(3, 4, 1, True))
