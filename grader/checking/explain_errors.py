"""Known error texts from student code, given their likely cause (05's no_grad advice)."""

from __future__ import annotations

from grader.checking.submission import LoadError, StudentError


class explain_errors:
    """Add the likely mistake to an exception from student code whose message contains a known text.

        with explain_errors({"leaf Variable that requires grad": "wrap it in torch.no_grad()"}):
            submission.sgd_step(...)

    The status stays `error` (the code raised); the learner also reads what probably caused it.
    """

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, trace) -> bool:
        if isinstance(error, StudentError) and not isinstance(error, LoadError):
            # the error's own words only: not its traceback's code lines nor what the code printed
            own = error.message.split('\n  File "')[0].split("\nYour code printed:")[0]
            for text, explanation in self.known.items():
                if text in own:
                    explained = StudentError(
                        f"{error.message}\nLikely mistake: {explanation}",
                        error.type_names,
                        hidden=f"{error.hidden_message}\nLikely mistake: {explanation}",
                    )
                    explained.mistake = explanation
                    raise explained from None
        return False
