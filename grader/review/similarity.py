"""Similarity between students, exercise file by exercise file, with copydetect's fingerprints
(k-gram hashes of a token stream) and its slicing of the matches, the stub of each exercise as
boilerplate to ignore. The fingerprints are taken from the file's normalised syntax tree
(grader/review/normalise.py: no-op statements, dead stores and dead code out, definitions in a
canonical order), filtered (grader/review/tokens.py: names become V, F, O and strings S), so
padding, reordering and renaming change little; the highlighted spans come from the file's own
tokens, to show its own text.

Per exercise file, not per submission: copying is usually of one exercise (the hard one), which a
whole-submission score would dilute among seven honest files. A file pair's score is the share
of the shorter file's distinct k-grams found in the other: padding the copy makes it the longer
one, and dilutes nothing. A student pair's score is its highest file pair's."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from grader.review.normalise import defined_names, normalised, statements
from grader.review.tokens import filtered

# copydetect's defaults: k-grams of 25 characters of the filtered token stream, every k-gram
# kept (a window of 1: the fingerprint set is the same in every process, whatever the hash seed).
NOISE = 25
MIN_STATEMENTS = 4  # statements of its own a file needs for them to count (see _score)
MIN_TOKENS = 40  # a file with fewer tokens of its own (starter code removed) is not compared
TEXT_LIMIT = 64 * 1024  # characters of a file shown on a pair's page (its highlights)
# Characters of a file scored, on its normalised tree: comments and no-ops put before a copy do
# not push it out of view (red team: 72 KB of comments first hid a copy cut at 64 KiB); the
# worst case, 1 MiB of `_ = 0` lines, normalises in about 3 s of CPU (docs/performance.md).
SCORE_LIMIT = 1024 * 1024
MAX_PAIRS = 500  # pairs listed (highest first); a class where everyone is alike is cut here
# Students whose files of one exercise are linked by alike pairs form a group; from this size on
# a group is a crowd (a common answer to a short exercise, a shared source): its pairs are listed
# after every pair outside a crowd, so a few copies are not buried under thousands of look-alikes
# (measured on bench/class116.py: 6,441 pairs, 363 of the first 500 were 02's common answer).
CROWD = 5


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
    crowd: bool = False  # every file that made it is in a crowd of look-alikes (see CROWD)
    standout: list[str] = field(default_factory=list)  # its files outside any crowd

    @property
    def score(self) -> float:
        return max(f.score for f in self.files)


@dataclass(frozen=True)
class Group:
    """Students linked by alike files of one exercise (at least `CROWD` of them)."""

    exercise: str
    filename: str
    students: list[str]
    pairs: int
    low: float
    high: float


@dataclass
class Similarity:
    pairs: list[Pair]
    over_threshold: int  # pairs at or above the threshold, listed or not
    compared: int  # file pairs compared
    groups: list[Group] = field(default_factory=list)  # crowds, largest first


def _components(edges: list[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Each student's connected component in the graph of `edges`."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(b)
    members: dict[str, set[str]] = {}
    for x in list(parent):
        members.setdefault(root(x), set()).add(x)
    return {x: frozenset(members[root(x)]) for x in parent}


def _crowds(
    scores: dict[tuple[str, str], dict[str, float]], filenames: dict[str, str]
) -> tuple[list[Group], dict[str, dict[str, frozenset[str]]]]:
    """Per exercise, the groups of at least `CROWD` students, and each student's group."""
    by_exercise: dict[str, list[tuple[str, str, float]]] = {}
    for (a, b), files in scores.items():
        for exercise, score in files.items():
            by_exercise.setdefault(exercise, []).append((a, b, score))
    groups, member_of = [], {}
    for exercise, edges in sorted(by_exercise.items()):
        components = _components([(a, b) for a, b, _ in edges])
        member_of[exercise] = {s: c for s, c in components.items() if len(c) >= CROWD}
        for component in set(member_of[exercise].values()):
            inside = [score for a, b, score in edges if a in component]
            groups.append(
                Group(
                    exercise,
                    filenames[exercise],
                    sorted(component),
                    len(inside),
                    min(inside),
                    max(inside),
                )
            )
    groups.sort(key=lambda g: (-len(g.students), g.filename, g.students))
    return groups, member_of


class _Print:
    """One distinct file's fingerprint (copydetect's k-gram hashes of the filtered stream, the
    starter's removed), with the positions of its k-grams and their hashes as arrays, so a
    pair's overlap is two vector operations instead of a Python loop."""

    def __init__(
        self, text: str, boilerplate, keep: frozenset[str], boilerplate_statements: frozenset[str]
    ) -> None:
        import numpy as np

        from grader.review.copydetect_utils import utils

        copydetect = utils()
        get_document_fingerprints = copydetect.get_document_fingerprints
        get_token_coverage = copydetect.get_token_coverage

        tree_text = normalised(text, keep)
        code = filtered(tree_text).code
        self.statements = statements(tree_text) - boilerplate_statements
        hashes, index = get_document_fingerprints(code, NOISE, 1, boilerplate)
        self.set = {int(h) for h in hashes}  # Python ints: an intersection runs in C
        self.coverage = float(get_token_coverage(index, NOISE, len(code)))
        # the spans shown on a pair's page: the file's own tokens, matched the same way
        self.stream = filtered(text[:TEXT_LIMIT])
        hashes, index = get_document_fingerprints(self.stream.code, NOISE, 1, boilerplate)
        found = [(p, h) for h, places in index.items() for p in places]
        self.places = np.array([p for p, _ in found], dtype=np.int64)
        self.hashes = np.array([h for _, h in found], dtype=np.int64)
        self.unique = np.unique(self.hashes)

    def _slices(self, other: _Print):
        import numpy as np

        from grader.review.copydetect_utils import utils

        shared = self.places[np.isin(self.hashes, other.unique)]
        return utils().get_copied_slices(shared, NOISE) if len(shared) else None

    def spans(self, other: _Print) -> list[tuple[int, int]]:
        """The character ranges of the text those k-grams cover."""
        slices = self._slices(other)
        if slices is None:
            return []
        starts, ends = self.stream.starts, self.stream.ends
        return [(starts[int(s)], ends[int(e) - 1]) for s, e in zip(slices[0], slices[1])]


def _boilerplate(starter: str):
    """The starter's k-grams, normalised and as written (the spans come from the text)."""
    import numpy as np

    from grader.review.copydetect_utils import utils

    get_document_fingerprints = utils().get_document_fingerprints
    hashes = set()
    for code in (filtered(normalised(starter)).code, filtered(starter).code):
        hashes |= set(get_document_fingerprints(code, NOISE, 1)[0])
    return np.unique(np.array(sorted(hashes), dtype=np.int64))


def similar_pairs(
    texts: dict[str, dict[str, str]],
    starters: dict[str, str],
    filenames: dict[str, str],
    threshold: float,
) -> Similarity:
    """Student pairs with an exercise file at or above `threshold`, highest first. `texts`:
    student -> exercise id -> the file's text; `starters`: exercise id -> its stub. Identical
    files are fingerprinted and compared once."""
    scores: dict[tuple[str, str], dict[str, float]] = {}
    every: dict[str, dict[str, _Print]] = {}
    compared = 0
    for exercise, starter in starters.items():
        boilerplate, keep = _boilerplate(starter), defined_names(starter)
        starter_statements = statements(normalised(starter))
        prints: dict[str, _Print] = every.setdefault(exercise, {})
        owners: dict[str, list[str]] = {}
        for student in sorted(texts):
            text = texts[student].get(exercise)
            if text is None:
                continue
            text = text[:SCORE_LIMIT]
            if text not in prints:
                prints[text] = _Print(text, boilerplate, keep, starter_statements)
            if prints[text].coverage >= MIN_TOKENS:
                owners.setdefault(text, []).append(student)
        distinct = sorted(owners, key=lambda t: owners[t][0])
        for index, text_a in enumerate(distinct):
            same = owners[text_a]
            for a, b in itertools.combinations(same, 2):
                scores.setdefault((a, b), {})[exercise] = 1.0
            for text_b in distinct[index + 1 :]:
                compared += 1
                score = _score(prints[text_a], prints[text_b], threshold)
                if score is None:
                    continue
                for a, b in itertools.product(same, owners[text_b]):
                    scores.setdefault((min(a, b), max(a, b)), {})[exercise] = score
    groups, member_of = _crowds(scores, filenames)

    def crowded(a: str, b: str, files: dict[str, float]) -> bool:
        return all(a in member_of[exercise] for exercise in files)

    def rank(item: tuple[tuple[str, str], dict[str, float]]) -> tuple:
        """Pairs outside a crowd first, most alike first by the files that set them apart."""
        (a, b), files = item
        apart = [score for exercise, score in files.items() if a not in member_of[exercise]]
        return (not apart, -max(apart or files.values()), a, b)

    ranked = sorted(scores.items(), key=rank)
    pairs, spans_of = [], {}
    for (a, b), files in ranked[:MAX_PAIRS]:
        pair = Pair(a, b, crowd=crowded(a, b, files))
        pair.standout = [filenames[e] for e in sorted(files) if a not in member_of[e]]
        for exercise, score in sorted(files.items()):
            text_a, text_b = texts[a][exercise][:SCORE_LIMIT], texts[b][exercise][:SCORE_LIMIT]
            print_a, print_b = every[exercise][text_a], every[exercise][text_b]
            key = (exercise, text_a, text_b)
            if key not in spans_of:  # the same two files in many pairs: mapped once
                spans_of[key] = (print_a.spans(print_b), print_b.spans(print_a))
            spans = spans_of[key]
            pair.files.append(
                FileMatch(
                    exercise,
                    filenames[exercise],
                    score,
                    (text_a[:TEXT_LIMIT], text_b[:TEXT_LIMIT]),
                    spans,
                )
            )
        pairs.append(pair)
    return Similarity(pairs, len(ranked), compared, groups)


def _score(a: _Print, b: _Print, threshold: float) -> float | None:
    """The file pair's score when it reaches the threshold: the share of the shorter file's
    distinct k-grams found in the other (|A & B| / min(|A|, |B|)), so lines added to a copy do
    not dilute it. A set intersection: on the class of 200 in bench/similarity.py (129,296 file
    pairs), covered tokens took 104 s, sets 20 s."""
    smaller = min(len(a.set), len(b.set))
    if not smaller:
        return None
    score = len(a.set & b.set) / smaller
    fewer = min(len(a.statements), len(b.statements))
    if fewer >= MIN_STATEMENTS:  # whole statements, wherever they moved (split, merged)
        score = max(score, len(a.statements & b.statements) / fewer)
    return round(score, 4) if score >= threshold else None
