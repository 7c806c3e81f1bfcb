"""What to check in exercise 01 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it.
An advice that names a cause says which facts prove it (grader/checking/advice_facts.py)."""

ADVICE = {
    # said only for a call that asked for padding (with padding=0 there is nothing to pad) and
    # the rows differing (the height is what F.pad(image, (p, p)) leaves unpadded); the
    # output's rows computed from the width cut a patch short too, so the size formula is said;
    # which operand is the patch is the learner's (a slice one row long makes it the larger)
    "sizes_differ": [
        {
            "text": "in convolve2d, a patch and the kernel have different numbers of rows (the "
            "sizes in the error). Print the output's size and each patch's shape: there are "
            "(size + 2 * padding - kernel) // stride + 1 output rows, and the patch for out[i, j] "
            "is rows "
            "i * stride to i * stride + kh and columns j * stride to j * stride + kw of the image "
            "padded on all four sides (F.pad(image, (p, p, p, p)); (p, p) pads the width alone).",
            "needs": ["padding given", "dimension 0 differs"],
        },
        # said only for a call with a stride above 1, no padding (a missing pad gives the same
        # error) and a first operand smaller than the second; which operand is the patch is
        # the learner's, so it is said as a condition; a slice shorter than the kernel (its
        # start one on, its end one short) gives the same error at every window: both said
        {
            "text": "in convolve2d with stride above 1, if your line is patch * kernel, the "
            "patch is smaller than the kernel (the sizes in the error): its window reaches "
            "past the edge of the image, or its slice is shorter than the kernel. With stride s "
            "there are (size + 2 * padding - kernel) // s + 1 output positions along each "
            "dimension, and the patch for out[i, j] is rows i * s to i * s + kh and columns "
            "j * s to j * s + kw: print the output's size and each patch's shape.",
            "needs": ["stride given", "no padding", "the first size smaller"],
        },
        # with padding and a stride, a pad left out, a size formula without the stride and a
        # slice shorter than the kernel all cut a patch short: all are said
        {
            "text": "in convolve2d, if your line is patch * kernel, the patch is smaller than "
            "the kernel (the sizes in the error): its window reaches past the edge of the image "
            "it is taken from, or its slice is shorter than the kernel. Three things decide "
            "that: the image padded on all four sides first (F.pad(image, (p, p, p, p))), "
            "(size + 2 * padding - kernel) // stride + 1 output positions, and the patch for "
            "out[i, j] being rows i * stride to i * stride + kh and columns j * stride to "
            "j * stride + kw: print the padded image's shape and each patch's shape.",
            "needs": ["stride given", "padding given", "the first size smaller"],
        },
    ],
}
