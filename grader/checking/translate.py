"""PyTorch's, torchvision's and Python's error messages in a learner's words: what the error
means here and what to check, with the learner's own line. Pure and torch-free: it reads only
the text a worker sent back.

A rule names a cause only when the error text (its numbers, its names) identifies it; otherwise it
says what the error means in general and what to look at, without guessing.
"""

from __future__ import annotations

from dataclasses import replace

from grader.checking import error_rules_shapes, error_rules_training
from grader.checking.error_rules import Context, Rule, learner_line
from grader.checking.exercise_rules import advice

RULES: tuple[Rule, ...] = error_rules_shapes.RULES + error_rules_training.RULES


def _syntax(type_name: str, message: str, context: Context) -> tuple[str, str]:
    where = f"line {context.line_number}" if context.line_number else "the line shown"
    what = "its indentation" if type_name in ("IndentationError", "TabError") else "its syntax"
    return (
        f"Python could not read your file ({what} at {where}), so none of this exercise's "
        "checks could run; the other exercises are not affected.",
        f"{where} and the line just before it (a missing bracket, colon or quote often shows "
        "one line later).",
    )


def translate(
    type_name: str,
    message: str,
    trace: str = "",
    function: str = "",
    exercise: str = "",
    arguments: tuple[tuple[str, object], ...] = (),
) -> str:
    """ "What this means: ...\\nWhat to check: ..." for an error raised by student code, or ""
    when no rule applies. `trace` is the traceback cut to the learner's file; `arguments` the
    failing call's arguments as the grader passed them (facts a rule may rest on)."""
    code, number, frame = learner_line(trace)
    context = Context(code, number, function or frame, exercise, arguments=arguments)
    if type_name in ("SyntaxError", "IndentationError", "TabError"):
        meaning, check = _syntax(type_name, message, context)
        return f"What this means: {meaning}\nWhat to check: {check}"
    for rule in RULES:
        match = rule.pattern.search(message or "")
        if not match:
            continue
        texts = rule.texts(match, replace(context, advice=_advice(rule, match, context)))
        if texts is None:  # the facts the rule rests on are not there: it says nothing
            continue
        meaning, check = texts
        return f"What this means: {meaning}\nWhat to check: {check}"
    return ""


def _advice(rule: Rule, match, context: Context) -> str:
    """The exercise's advice for `rule`, when every fact it needs holds here; else ""."""
    if not context.exercise:
        return ""
    for text, needs in advice(context.exercise).get(rule.name, ()):
        if all(fact(match, context) for fact in needs):
            return text
    return ""


def rule_for(message: str) -> str:
    """The name of the rule that translates `message` ("" for none): for tests and reports."""
    return next((r.name for r in RULES if r.pattern.search(message or "")), "")
