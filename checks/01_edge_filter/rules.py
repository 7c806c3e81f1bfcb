"""What to check in exercise 01 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it.
An advice that names a cause says which facts prove it (grader/checking/advice_facts.py)."""

ADVICE = {
    # said only for a call that asked for padding (with padding=0 there is nothing to pad) and
    # a patch short of rows (the height is what F.pad(image, (p, p)) leaves unpadded)
    "sizes_differ": {
        "text": "in convolve2d, a window at the bottom edge has fewer rows than the kernel: the "
        "padded image has fewer rows than the output size needs. Either the height is not "
        "padded (F.pad(image, (p, p)) pads only the last dimension, the width; (p, p, p, p) "
        "pads the height too) or the output size formula gives too many rows.",
        "needs": ["padding given", "dimension 0 differs"],
    },
}
