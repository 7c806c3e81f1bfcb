"""What the integrity scan found in one file: findings (kind, what, line) and notes on what could
not be scanned; and the collector that keeps one finding per rule."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_FINDINGS = 30  # per file: a file that trips every rule is one look, not a thousand lines


@dataclass(frozen=True)
class Finding:
    kind: str
    what: str
    line: int | None


@dataclass
class Scan:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Collector:
    """Findings of one file, one per rule (its first place, with how many places in all)."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], Finding] = {}
        self.count: dict[tuple[str, str], int] = {}

    def add(self, kind: str, key: str, what: str, line: int | None) -> None:
        slot = (kind, key)
        self.count[slot] = self.count.get(slot, 0) + 1
        if slot not in self.first and len(self.first) < MAX_FINDINGS:
            self.first[slot] = Finding(kind, what, line)

    def findings(self) -> list[Finding]:
        found = []
        for slot, finding in self.first.items():
            more = self.count[slot] - 1
            what = finding.what + (f" (and {more} more place(s))" if more else "")
            found.append(Finding(finding.kind, what, finding.line))
        return sorted(found, key=lambda f: (f.line or 0, f.kind, f.what))
