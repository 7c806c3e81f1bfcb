"""Mistakes that several exercises' checks name alike. Each is a `Mistake` that matches only the
answer the mistake itself computes from the check's own numbers."""

from __future__ import annotations

from grader.checking.compare import Mistake, when


def integer_division(percent: float, count: int, counted: str) -> Mistake:
    """An accuracy of `100 * (correct // count)`: the int 0 unless every sample is right. Named
    only when that differs from the right answer, and only for an int (a float 0.0 has other
    causes, such as never counting a correct prediction)."""
    correct = round(percent * count / 100)
    wrong = 100 * (correct // count)
    return when(
        lambda a: wrong != percent and type(a) is int and a == wrong,
        f"integer division: correct // {counted} is {correct} // {count} = {correct // count} "
        f"(// rounds down to a whole number). Divide with /: 100.0 * correct / {counted}.",
    )
