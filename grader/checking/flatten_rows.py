"""A matrix product that failed because a batch was flattened into the wrong number of rows:
"mat1 and mat2 shapes cannot be multiplied (2x980 and 392x64)" from a call the check made with
a batch of 5. Proven by the error's numbers and the check's own batch size: 2 rows of 980 hold
1,960 values, exactly the 5 images' 5 x 392, so the flatten fixed a size (the 2 rows, or the 980
features) instead of keeping the batch first. Said only then; the error is raised again with
those words, its status unchanged (the code raised). A hidden check's words quote no number (the
error's text is the learner's, and could carry a secret input out)."""

from __future__ import annotations

import math
import re

from grader.checking.submission import LoadError, StudentError

_FIX = "Keep the batch first: x.view(x.size(0), -1) or torch.flatten(x, 1)."
_FIXED = "a size was fixed (the rows, or the features) where the batch size belongs"
_EITHER = "either the flatten is missing (a Linear acts on the last size) or " + _FIXED
_SHAPES = re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)")


def flatten_words(message: str, batch: int, maps: tuple[int, ...] = ()) -> str:
    """The likely mistake for `message`, from a call with `batch` samples whose maps before the
    layer are `maps` per sample when the check knows them (SimpleCNN's (8, 7, 7)), or ""."""
    return _words(message, batch, maps)[0]


def _words(message: str, batch: int, maps: tuple[int, ...]) -> tuple[str, str]:
    """(the words with the error's numbers, the same finding without them for a hidden check):
    the hidden words say the case the numbers proved, never another one."""
    found = _SHAPES.search(message.split('\n  File "')[0])
    if not found:
        return "", ""
    rows, cols, features, _ = (int(g) for g in found.groups())
    if rows == batch or rows < 1 or rows * cols != batch * features:
        return "", ""
    if rows == 1:  # the batch known to be more than one sample: not a single sample's features
        tail = (
            "flattened into a single row: the batch dimension is lost. Flatten per sample: "
            "x.view(x.size(0), -1) or torch.flatten(x, 1), not x.view(-1) or torch.flatten(x)."
        )
        shown = f"the {batch} samples' {batch} x {features:,} = {cols:,} values were {tail}"
        return shown, f"the batch's values were {tail}"
    if maps and math.prod(maps) == features:
        for start in range(1, len(maps)):  # the maps flattened from dimension start + 1 on
            if cols == math.prod(maps[start:]) and rows == batch * math.prod(maps[:start]):
                how = (
                    "unflattened: a Linear acts on the last size"
                    if start == len(maps) - 1
                    else f"flattened only from dimension {start + 1} on"
                )
                shape = ", ".join(str(n) for n in (batch, *maps))
                return (
                    f"the maps of shape ({shape}) reached the layer {how}, as {rows} rows of "
                    f"{cols}. {_FIX}",
                    f"the maps reached the layer {how}. {_FIX}",
                )
        fixed = "a size was fixed"
    elif maps:
        return "", ""  # another layer than the one whose maps are known: nothing proven
    else:  # an unflattened map gives such rows too: the maps' shape would tell
        fixed = "either the flatten is missing (a Linear acts on the last size) or a size was fixed"
    shown = (
        f"the {batch} samples' {batch} x {features:,} = {rows * cols:,} values reached the layer "
        f"as {rows} rows of {cols:,}: {fixed} (the {rows} rows, or the {cols:,} features) where "
        f"the batch size belongs. {_FIX}"
    )
    hidden = _FIXED if fixed == "a size was fixed" else _EITHER
    return (
        shown,
        f"a batch was flattened into another number of rows than it has samples: {hidden}. {_FIX}",
    )


class explain_flatten:
    """`with explain_flatten(batch): submission.drive(...)`: a StudentError whose message is a
    batch flattened into the wrong number of rows gets the likely mistake added."""

    def __init__(self, batch: int, maps: tuple[int, ...] = ()) -> None:
        self.batch, self.maps = batch, maps

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, trace) -> bool:
        if isinstance(error, StudentError) and not isinstance(error, LoadError):
            words, hidden = _words(error.message, self.batch, self.maps)
            if words:
                explained = StudentError(
                    f"{error.message}\nLikely mistake: {words}",
                    error.type_names,
                    hidden=f"{error.hidden_message}\nLikely mistake: {hidden}",
                )
                explained.mistake = words
                raise explained from None
        return False
