"""What to check in exercise 02 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it."""

ADVICE = {
    "tuple_times": "kernel_size may be an (kh, kw) tuple: unpack it first, e.g. kh, kw = "
    "kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size).",
}
