"""What to check in exercise 01 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it."""

ADVICE = {
    "sizes_differ": "in convolve2d, a window at the edge is cut short when the image is not "
    "padded on every side: F.pad(image, (p, p)) pads only the last dimension (the width); "
    "(p, p, p, p) pads the height too. Check the output size formula as well.",
}
