"""Diff report: the sorted changes between two specs, grouped, rendered as text, Markdown, JSON, YAML.

A change to a shared schema is found once per operation that uses it; the report groups those into
one entry (rule, location, message) listing the operations it affects.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from generator.diff.model import Change, code
from generator.diff.rules import LEVELS, Category, Level
from generator.errors import printable

# A change to a shared schema affects every operation using it; text and Markdown name a few.
MAX_LISTED_OPERATIONS = 5


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
class ChangeGroup:
    """One change and every operation it affects."""

    rule: str
    level: Level
    category: Category
    location: str
    pointer: str
    detail: str
    operations: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        """The group as plain data (JSON and YAML output)."""
        return {
            "rule": self.rule,
            "level": self.level.value,
            "category": self.category.value,
            "location": self.location,
            "pointer": self.pointer,
            "message": self.detail,
            "operations": list(self.operations),
        }


@dataclass(frozen=True)
class DiffReport:
    """Every change from `old` to `new`, ERR first, in a deterministic order."""

    changes: tuple[Change, ...]
    old: SpecSummary = field(default_factory=SpecSummary)
    new: SpecSummary = field(default_factory=SpecSummary)

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The ERR changes, of every category."""
        return self.at_level(Level.ERR)

    def at_level(self, level: Level) -> tuple[Change, ...]:
        """The changes of one level, in report order."""
        return tuple(change for change in self.changes if change.level == level)

    def only(self, categories: Iterable[Category]) -> DiffReport:
        """The same report with only the changes of `categories`."""
        wanted = set(categories)
        return replace(
            self, changes=tuple(change for change in self.changes if change.category in wanted)
        )

    def fails(self, level: Level) -> bool:
        """Whether a change is at `level` or more severe (`--fail-on`)."""
        return any(change.level.rank <= level.rank for change in self.changes)

    def groups(self, level: Level | None = None) -> list[ChangeGroup]:
        """Changes grouped by (rule, location, message), with the operations each affects."""
        grouped: dict[tuple[str, str, str], list[Change]] = {}
        for change in self.changes:
            if level is None or change.level == level:
                grouped.setdefault((change.rule, change.location, change.detail), []).append(change)
        result = [
            ChangeGroup(
                rule,
                members[0].level,
                members[0].category,
                location,
                members[0].pointer,
                detail,
                tuple(sorted({change.operation for change in members if change.operation})),
            )
            for (rule, location, detail), members in grouped.items()
        ]
        return sorted(
            result, key=lambda group: (group.level.rank, group.rule, group.detail, group.location)
        )

    def summary(self) -> str:
        """`2 ERR, 0 WARN, 3 INFO`: counts of distinct changes per level."""
        return ", ".join(f"{len(self.groups(level))} {level.value}" for level in LEVELS)

    def sections(self) -> Iterator[tuple[Level, list[ChangeGroup]]]:
        """(level, groups) for every level that has changes."""
        for level in LEVELS:
            groups = self.groups(level)
            if groups:
                yield level, groups

    def render_text(self) -> str:
        """Plain text: `file:line:col: rule: message`, then the operations it affects."""
        lines = [f"invitegen diff: {self.old.title} -> {self.new.title}", self.summary()]
        if not self.changes:
            lines.append("no changes")
        for level, groups in self.sections():
            lines.extend(["", f"{level.heading} ({len(groups)}):"])
            for group in groups:
                lines.append(f"  {group.location}: {group.rule}: {group.detail}")
                if group.operations:
                    lines.append(f"      in {_listed(group.operations, str)}")
        return "\n".join(printable(line) for line in lines) + "\n"

    def render_markdown(self) -> str:
        """Markdown: a summary line, a section per level, one item per change with its operations.

        Spec text only ever appears inside code spans (`model.code`), so it cannot add headings,
        links, images or HTML to the report.
        """
        lines = [
            f"# API changes: {code(self.old.title)} → {code(self.new.title)}",
            "",
            self.summary() + ".",
        ]
        if not self.changes:
            lines.extend(["", "No changes."])
        for level, groups in self.sections():
            lines.extend(["", f"## {level.heading} ({len(groups)})", ""])
            for group in groups:
                lines.append(f"- {code(group.rule)} {group.detail} — {code(group.location)}")
                if group.operations:
                    lines.append(f"  - in {_listed(group.operations, code)}")
        return "\n".join(lines) + "\n"

    def document(self) -> dict[str, Any]:
        """The report as plain data: both specs, counts per level, every grouped change."""
        return {
            "old": {"source": self.old.source, "version": self.old.version},
            "new": {"source": self.new.source, "version": self.new.version},
            "summary": {level.value: len(self.groups(level)) for level in LEVELS},
            "breaking": bool(self.breaking),
            "changes": [group.document() for group in self.groups()],
        }

    def render_json(self) -> str:
        """JSON (`document`)."""
        return json.dumps(self.document(), indent=2, ensure_ascii=False) + "\n"

    def render_yaml(self) -> str:
        """YAML (`document`), block style."""
        dumped: str = yaml.safe_dump(self.document(), sort_keys=False, allow_unicode=True)
        return dumped


def _listed(operations: tuple[str, ...], show: Callable[[str], str]) -> str:
    """`a, b` or, for many, `23 operations: a, b, c, d, e and 18 more` (JSON lists them all)."""
    if len(operations) <= MAX_LISTED_OPERATIONS:
        return ", ".join(show(operation) for operation in operations)
    shown = ", ".join(show(operation) for operation in operations[:MAX_LISTED_OPERATIONS])
    hidden = len(operations) - MAX_LISTED_OPERATIONS
    return f"{len(operations)} operations: {shown} and {hidden} more"


RENDERERS: dict[str, Callable[[DiffReport], str]] = {
    "json": DiffReport.render_json,
    "markdown": DiffReport.render_markdown,
    "text": DiffReport.render_text,
    "yaml": DiffReport.render_yaml,
}


def sorted_changes(changes: list[Change]) -> tuple[Change, ...]:
    """Changes in report order, duplicates dropped."""
    return tuple(sorted(set(changes), key=Change.sort_key))
