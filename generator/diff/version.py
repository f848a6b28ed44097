"""Versioning policy: a diff report and two `info.version`s -> changelog text, or a refusal.

Breaking changes need a major version bump (semver; in 0.x a minor bump counts as major, as Cargo
and npm treat `^0.y`). `invitegen generate` refuses to write without one unless told
`--allow-breaking`.
"""

from __future__ import annotations

import re

from generator.diff.model import code
from generator.diff.report import ChangeGroup, DiffReport
from generator.diff.rules import Level

_PLAIN_LABEL = re.compile(r"[A-Za-z0-9./+{}() -][A-Za-z0-9./+{}()_ -]*")
_SEMVER = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$")
MAX_REFUSAL_LINES = 20
CHANGELOG_PREAMBLE = (
    "# Changelog\n\n"
    "API changes of spec/driveitem-invite.yaml, one section per info.version, "
    "written by `invitegen generate`.\n"
)
# A change to a shared schema repeats in every operation using it; list a few, count the rest.
MAX_LISTED_OPERATIONS = 3


def parse_version(version: str) -> tuple[int, int, int] | None:
    """`1.2.3`, `v1.2`, `2.0.0-rc.1` -> (major, minor, patch); None when not semver-like."""
    match = _SEMVER.match(version.strip())
    if match is None:
        return None
    major, minor, patch = (int(part) if part else 0 for part in match.groups())
    return major, minor, patch


def is_major_bump(old_version: str, new_version: str) -> bool:
    """Whether the major version increased (in 0.x: whether the minor version increased)."""
    old, new = parse_version(old_version), parse_version(new_version)
    if old is None or new is None:
        return False
    if new[0] != old[0]:
        return new[0] > old[0]
    return old[0] == 0 and new[1] > old[1]


def next_major(version: str) -> str:
    """The smallest major bump of `version`: `1.4.2` -> `2.0.0`, `0.3.1` -> `0.4.0`."""
    parsed = parse_version(version)
    if parsed is None:
        return "1.0.0"
    major, minor, _ = parsed
    return f"0.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"


def _label(operation: str) -> str:
    """An operation label as is when it cannot read as Markdown markup, else as a code span."""
    return operation if _PLAIN_LABEL.fullmatch(operation) else code(operation)


def _entry_line(group: ChangeGroup) -> str:
    line = f"- {code(group.rule)} {group.detail}"
    operations = [_label(operation) for operation in group.operations]
    if not operations:
        return line
    if len(operations) == 1:
        return f"{line} ({operations[0]})"
    listed = ", ".join(operations[:MAX_LISTED_OPERATIONS])
    hidden = len(operations) - MAX_LISTED_OPERATIONS
    more = f" and {hidden} more" if hidden > 0 else ""
    return f"{line} ({len(operations)} operations: {listed}{more})"


def changelog_heading(old_version: str, new_version: str) -> str:
    """`## 2.0.0`; `## Unreleased (info.version still 1.0.0)` when the version did not change."""
    if new_version == old_version:
        return f"## Unreleased (info.version still {new_version})"
    return f"## {new_version}"


def changelog_entry(report: DiffReport, old_version: str, new_version: str) -> str:
    """A Markdown section for `generated/CHANGELOG.md`: the new version, then changes by level."""
    heading = changelog_heading(old_version, new_version)
    lines = [heading, "", f"Changes from {old_version} to {new_version}."]
    if not report.changes:
        lines.extend(["", "No API changes."])
    for level, groups in report.sections():
        lines.extend(["", f"### {level.heading}", ""])
        lines.extend(_entry_line(group) for group in groups)
    return "\n".join(lines) + "\n"


def breaking_refusal(report: DiffReport, old_version: str, new_version: str) -> str | None:
    """Why generation must stop (breaking changes without a major bump), or None to go on."""
    entries = report.groups(Level.ERR)
    if not entries or is_major_bump(old_version, new_version):
        return None
    breaking = report.breaking
    lines = [
        f"refusing to generate: the spec has {len(breaking)} breaking change(s) "
        f"({len(entries)} distinct), but info.version went from {old_version!r} "
        f"to {new_version!r}, "
        "which is not a major version bump.",
        "",
    ]
    lines.extend(_entry_line(group) for group in entries[:MAX_REFUSAL_LINES])
    if len(entries) > MAX_REFUSAL_LINES:
        lines.append(
            f"- ... and {len(entries) - MAX_REFUSAL_LINES} more (run `invitegen diff` for all)"
        )
    lines.extend(
        [
            "",
            f"Either set info.version to {next_major(old_version)} (or higher) in the spec, "
            "or pass --allow-breaking to generate anyway.",
        ]
    )
    return "\n".join(lines)


def merge_changelog(existing: str, entry: str) -> str:
    """CHANGELOG.md text with `entry` appended, or replacing its same-heading section (idempotent)."""
    preamble, sections = _changelog_sections(existing or CHANGELOG_PREAMBLE)
    heading = entry.split("\n", 1)[0]
    merged = [entry if section.split("\n", 1)[0] == heading else section for section in sections]
    if entry not in merged:
        merged.append(entry)
    return "\n".join(
        [preamble.rstrip("\n") + "\n", *(section.rstrip("\n") + "\n" for section in merged)]
    )


def _changelog_sections(text: str) -> tuple[str, list[str]]:
    """Split at `## ` headings: (text before the first one, [each section with its heading])."""
    parts = re.split(r"(?m)^(?=## )", text)
    return parts[0], parts[1:]
