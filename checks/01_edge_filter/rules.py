"""What to check in exercise 01 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it.
An advice that names a cause says which facts prove it (grader/checking/advice_facts.py)."""

ADVICE = {
    # said only for a call that asked for padding (with padding=0 there is nothing to pad) and
    # a patch short of rows (the height is what F.pad(image, (p, p)) leaves unpadded)
    "sizes_differ": [
        {
            "text": "in convolve2d, a patch has fewer rows than the kernel (the sizes in the "
            "error). Print the patch's shape for the last i and j: the patch for out[i, j] takes "
            "rows from i * stride and columns from j * stride of the image padded on all four "
            "sides (F.pad(image, (p, p, p, p)); (p, p) pads the width alone).",
            "needs": ["padding given", "dimension 0 differs"],
        },
        # said only for a call with a stride above 1, no padding (a missing pad gives the same
        # error) and a first operand smaller than the second; which operand is the patch is
        # the learner's, so it is said as a condition
        {
            "text": "in convolve2d with stride above 1, if your line is patch * kernel, the "
            "patch is smaller than the kernel (the sizes in the error): its window reaches "
            "past the edge of the image. With stride s there are (size + 2 * "
            "padding - kernel) // s + 1 output positions along each dimension, and the patch "
            "for out[i, j] starts at row i * s and column j * s: print the output's size and "
            "the last patch's shape.",
            "needs": ["stride given", "no padding", "the first size smaller"],
        },
        # with padding and a stride, both a pad left out and a size formula without the
        # stride cut a patch short: both are said
        {
            "text": "in convolve2d, if your line is patch * kernel, the patch is smaller than "
            "the kernel (the sizes in the error): its window reaches past the edge of the image "
            "it is taken from. Two things decide that: the image padded on all four sides "
            "first (F.pad(image, (p, p, p, p))), and (size + 2 * padding - kernel) // stride + "
            "1 output positions, the patch for out[i, j] starting at row i * stride and column "
            "j * stride: print the padded image's shape and the last patch's shape.",
            "needs": ["stride given", "padding given", "the first size smaller"],
        },
    ],
}
