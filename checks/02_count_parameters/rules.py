"""What to check in exercise 02 when an error rule (grader/checking/error_rules_*.py) matches:
{rule name: advice}, in place of the rule's general advice. Torch-free: the grader reads it.
An advice that names a cause says which facts prove it (grader/checking/advice_facts.py)."""

ADVICE = {
    # said only when a tuple was multiplied and the call was given one (kernel_size=(3, 5))
    "tuple_times": {
        "text": "kernel_size may be an (kh, kw) tuple: unpack it first, e.g. kh, kw = "
        "kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size).",
        "needs": ["a tuple multiplied", "a tuple argument"],
    },
}
