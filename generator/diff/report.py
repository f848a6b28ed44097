"""Diff report: the sorted changes between two specs, rendered as text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby

from generator.diff.model import Change, code
from generator.diff.rules import LEVELS, Level
from generator.errors import printable


@dataclass(frozen=True)
class SpecSummary:
    """Which spec a side of the diff is: where it was read from and its `info.version`."""

    source: str = ""
    version: str = ""

    @property
    def title(self) -> str:
        """`spec/x.yaml (1.0.0)`."""
        return f"{self.source} ({self.version})" if self.version else self.source


@dataclass(frozen=True)
class DiffReport:
    """Every change from `old` to `new`, breaking first, in a deterministic order."""

    changes: tuple[Change, ...]
    old: SpecSummary = field(default_factory=SpecSummary)
    new: SpecSummary = field(default_factory=SpecSummary)

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The changes that break existing clients."""
        return self.at_level(Level.BREAKING)

    def at_level(self, level: Level) -> tuple[Change, ...]:
        """The changes of one level, in report order."""
        return tuple(change for change in self.changes if change.level == level)

    def summary(self) -> str:
        """`2 breaking, 0 breaking for strict consumers, 3 non-breaking, 1 info`."""
        return ", ".join(f"{len(self.at_level(level))} {level.value}" for level in LEVELS)

    def sections(self) -> Iterator[tuple[Level, tuple[Change, ...]]]:
        """(level, changes) for every level that has changes."""
        for level in LEVELS:
            changes = self.at_level(level)
            if changes:
                yield level, changes

    def render_text(self) -> str:
        """Plain text, one `file:line:col: rule: message` line per change under level headings."""
        lines = [f"invitegen diff: {self.old.title} -> {self.new.title}", self.summary()]
        if not self.changes:
            lines.append("no changes")
        for level, changes in self.sections():
            lines.extend(["", f"{level.heading} ({len(changes)}):"])
            lines.extend(
                printable(f"  {change.location}: {change.rule}: {change.message}")
                for change in changes
            )
        return "\n".join(lines) + "\n"

    def render_markdown(self) -> str:
        """Markdown: a summary line, then a section per level and a subsection per operation."""
        lines = [
            f"# API changes: {code(self.old.title)} → {code(self.new.title)}",
            "",
            self.summary() + ".",
        ]
        if not self.changes:
            lines.extend(["", "No changes."])
        for level, changes in self.sections():
            lines.extend(["", f"## {level.heading} ({len(changes)})"])
            for operation, grouped in groupby(changes, key=_operation_of):
                lines.extend(["", f"### {code(operation) if operation else 'Whole API'}", ""])
                lines.extend(
                    f"- {code(change.rule)} {change.detail} — {code(change.location)}"
                    for change in grouped
                )
        return "\n".join(lines) + "\n"

    def render_json(self) -> str:
        """JSON: both specs, counts per level, and every change with all its fields."""
        document = {
            "old": {"source": self.old.source, "version": self.old.version},
            "new": {"source": self.new.source, "version": self.new.version},
            "summary": {level.value: len(self.at_level(level)) for level in LEVELS},
            "breaking": bool(self.breaking),
            "changes": [_change_json(change) for change in self.changes],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _operation_of(change: Change) -> str:
    return change.operation


def _change_json(change: Change) -> dict[str, str]:
    return {
        "rule": change.rule,
        "level": change.level.value,
        "operation": change.operation,
        "location": change.location,
        "message": change.message,
        "pointer": change.pointer,
    }


RENDERERS: dict[str, Callable[[DiffReport], str]] = {
    "text": DiffReport.render_text,
    "markdown": DiffReport.render_markdown,
    "json": DiffReport.render_json,
}


def sorted_changes(changes: list[Change]) -> tuple[Change, ...]:
    """Changes in report order, duplicates dropped."""
    return tuple(sorted(set(changes), key=Change.sort_key))
