"""A matrix product that failed because a batch was flattened into the wrong number of rows:
"mat1 and mat2 shapes cannot be multiplied (2x980 and 392x64)" from a call the check made with
a batch of 5. Proven by the error's numbers and the check's own batch size: 2 rows of 980 hold
1,960 values, exactly the 5 images' 5 x 392, so the flatten fixed a size (the 2 rows, or the 980
features) instead of keeping the batch first. Said only then; the error is raised again with
those words, its status unchanged (the code raised). A hidden check's words quote no number (the
error's text is the learner's, and could carry a secret input out)."""

from __future__ import annotations

import re

from grader.checking.submission import LoadError, StudentError

_FIX = "Keep the batch first: x.view(x.size(0), -1) or torch.flatten(x, 1)."
_HIDDEN = "a batch was flattened into another number of rows than it has samples: a size was "
_HIDDEN += f"fixed (the rows, or the features) where the batch size belongs. {_FIX}"
_SHAPES = re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)")


def flatten_words(message: str, batch: int) -> str:
    """The likely mistake for `message`, from a call with `batch` samples, or ""."""
    found = _SHAPES.search(message.split('\n  File "')[0])
    if not found:
        return ""
    rows, cols, features, _ = (int(g) for g in found.groups())
    if rows == batch or rows < 1 or rows * cols != batch * features:
        return ""
    if rows == 1:  # the batch known to be more than one sample: not a single sample's features
        return (
            f"the {batch} samples' {batch} x {features:,} = {cols:,} values were flattened into "
            "a single row: the batch dimension is lost. Flatten per sample: x.view(x.size(0), "
            "-1) or torch.flatten(x, 1), not x.view(-1) or torch.flatten(x)."
        )
    return (
        f"the {batch} samples' {batch} x {features:,} = {rows * cols:,} values were flattened "
        f"into {rows} rows of {cols:,}: a size was fixed (the {rows} rows, or the {cols:,} "
        f"features) where the batch size belongs. {_FIX}"
    )


class explain_flatten:
    """`with explain_flatten(batch): submission.drive(...)`: a StudentError whose message is a
    batch flattened into the wrong number of rows gets the likely mistake added."""

    def __init__(self, batch: int) -> None:
        self.batch = batch

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, trace) -> bool:
        if isinstance(error, StudentError) and not isinstance(error, LoadError):
            words = flatten_words(error.message, self.batch)
            if words:
                explained = StudentError(
                    f"{error.message}\nLikely mistake: {words}",
                    error.type_names,
                    hidden=f"{error.hidden_message}\nLikely mistake: {_HIDDEN}",
                )
                explained.mistake = words
                raise explained from None
        return False
