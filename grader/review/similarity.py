"""Similarity between students, exercise file by exercise file, with copydetect (winnowed k-gram
fingerprints of the token stream: names become V, F, O and strings S, so renaming variables or
rewording strings changes nothing), the stub of each exercise as boilerplate to ignore.

Per exercise file, not per submission: copying is usually of one exercise (the hard one), which a
whole-submission score would dilute among seven honest files. A file pair's score is the share
of both files' tokens that the matches cover (token-weighted, so a two-line file inside a long
one scores low); a student pair's score is its highest file pair's."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field

# copydetect's defaults: k-grams of 25 characters of the filtered token stream, every k-gram
# kept (a window of 1: the fingerprint set is the same in every process, whatever the hash seed).
NOISE = 25
MIN_TOKENS = 40  # a file with fewer tokens of its own (starter code removed) is not compared
TEXT_LIMIT = 64 * 1024  # characters of a file compared; a longer one is cut (and a note says so)
MAX_PAIRS = 500  # pairs listed (highest first); a class where everyone is alike is cut here


@dataclass(frozen=True)
class FileMatch:
    exercise: str
    filename: str
    score: float
    texts: tuple[str, str]
    spans: tuple[list[tuple[int, int]], list[tuple[int, int]]]  # highlighted character ranges


@dataclass
class Pair:
    a: str
    b: str
    files: list[FileMatch] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(f.score for f in self.files)


@dataclass
class Similarity:
    pairs: list[Pair]
    over_threshold: int  # pairs at or above the threshold, listed or not
    compared: int  # file pairs compared


def similar_pairs(
    texts: dict[str, dict[str, str]],
    starters: dict[str, str],
    filenames: dict[str, str],
    threshold: float,
) -> Similarity:
    """Student pairs with an exercise file at or above `threshold`, highest first. `texts`:
    student -> exercise id -> the file's text; `starters`: exercise id -> its stub."""
    from copydetect import CodeFingerprint

    pairs: dict[tuple[str, str], Pair] = {}
    compared = 0
    for exercise, starter in starters.items():
        name = filenames[exercise]
        boilerplate = _hashes(CodeFingerprint(name, NOISE, 1, fp=io.StringIO(starter)))
        prints = {}
        for student in sorted(texts):
            text = texts[student].get(exercise)
            if text is None:
                continue
            found = CodeFingerprint(
                name, NOISE, 1, boilerplate, language="python", fp=io.StringIO(text[:TEXT_LIMIT])
            )
            if found.token_coverage >= MIN_TOKENS:
                prints[student] = found
        for a, b in itertools.combinations(sorted(prints), 2):
            compared += 1
            match = _compare(exercise, name, prints[a], prints[b], threshold)
            if match is not None:
                pairs.setdefault((a, b), Pair(a, b)).files.append(match)
    ranked = sorted(pairs.values(), key=lambda p: (-p.score, p.a, p.b))
    return Similarity(ranked[:MAX_PAIRS], len(ranked), compared)


def _hashes(fingerprint) -> object:
    import numpy as np

    return np.unique(np.array(sorted(fingerprint.hashes), dtype=np.int64))


def _compare(exercise: str, name: str, a, b, threshold: float) -> FileMatch | None:
    """The file pair's match when its score reaches the threshold. A bound first, which never
    drops a pair that reaches it: each place a shared fingerprint starts covers at most k tokens."""
    shared = a.hashes & b.hashes
    if not shared:
        return None
    places_a = sum(len(a.hash_idx[h]) for h in shared)
    places_b = sum(len(b.hash_idx[h]) for h in shared)
    bound = min(places_a * NOISE, a.token_coverage) + min(places_b * NOISE, b.token_coverage)
    if bound < threshold * (a.token_coverage + b.token_coverage):
        return None
    from copydetect import compare_files

    _, (share_a, share_b), (slices_a, slices_b) = compare_files(a, b)
    covered = share_a * a.token_coverage + share_b * b.token_coverage
    score = float(covered / (a.token_coverage + b.token_coverage))
    if score < threshold:
        return None
    return FileMatch(
        exercise,
        name,
        round(score, 4),
        (a.raw_code, b.raw_code),
        (_spans(slices_a), _spans(slices_b)),
    )


def _spans(slices) -> list[tuple[int, int]]:
    if len(slices) == 0 or slices.shape[0] == 0:
        return []
    return [(int(s), int(e)) for s, e in zip(slices[0], slices[1])]
