"""What to check in exercise 01 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it.
An advice that names a cause says which facts prove it (grader/checking/advice_facts.py)."""

ADVICE = {
    # said only for a call that asked for padding (with padding=0 there is nothing to pad) and
    # a patch short of rows (the height is what F.pad(image, (p, p)) leaves unpadded)
    "sizes_differ": {
        "text": "in convolve2d, a patch has fewer rows than the kernel (the sizes in the "
        "error). Print the patch's shape for the last i and j: the patch for out[i, j] takes "
        "rows from i * stride and columns from j * stride of the image padded on all four "
        "sides (F.pad(image, (p, p, p, p)); (p, p) pads the width alone).",
        "needs": ["padding given", "dimension 0 differs"],
    },
}
