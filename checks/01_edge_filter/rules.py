"""What to check in exercise 01 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it.
An advice that names a cause says which facts prove it (grader/checking/advice_facts.py)."""

ADVICE = {
    # said only for a call that asked for padding: with padding=0 there is nothing to pad
    "sizes_differ": {
        "text": "in convolve2d, a window at the edge is cut short: the padded image is smaller "
        "than the output size needs. F.pad(image, (p, p)) pads only the last dimension (the "
        "width); (p, p, p, p) pads the height too. Check the output size formula as well.",
        "needs": ["padding given"],
    },
}
