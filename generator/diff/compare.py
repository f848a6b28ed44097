"""`invitegen diff`: two versions of a spec -> the changes users care about, ERR first.

The comparison is structural, through `$ref`s on both sides, and direction-aware: a request schema
that accepts less breaks clients, a response schema that may return more breaks readers. Rules,
their ids, levels (oasdiff's ERR/WARN/INFO) and categories are in `rules.RULES`:

| module | job |
|---|---|
| `source` | file or `git:REV:path` -> `ResolvedSpec` (OpenAPI 3.x only) |
| `operations`, `bodies`, `access` | operations, parameters, bodies, responses, headers, security |
| `schema`, `schema_checks`, `schema_view` | two schemas -> located keyword-level changes |
| `report` | `DiffReport`, grouped, as text / Markdown / JSON / YAML |
| `version` | semver policy: `is_major_bump`, `changelog_entry`, `breaking_refusal` |
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diff.access import compare_global_security
from generator.diff.model import Change, ChangeLog, code, new_spot, old_spot
from generator.diff.operations import compare_operations
from generator.diff.report import RENDERERS, DiffReport, SpecSummary, sorted_changes
from generator.diff.rules import RULES, Category, Level, Rule
from generator.diff.source import load_spec
from generator.diff.version import (
    breaking_refusal,
    changelog_entry,
    is_major_bump,
    merge_changelog,
    next_major,
)
from generator.errors import SpecError, SpecErrors, join_pointer
from generator.output.writer import CHANGELOG_FILE
from generator.spec.refs import ResolvedSpec

__all__ = [
    "CHANGELOG_FILE",
    "RENDERERS",
    "RULES",
    "Category",
    "Change",
    "DiffReport",
    "Level",
    "Rule",
    "VersionGate",
    "breaking_refusal",
    "changelog_entry",
    "diff_paths",
    "diff_specs",
    "is_major_bump",
    "load_spec",
    "merge_changelog",
    "next_major",
    "spec_version",
    "version_gate",
]


def spec_version(spec: ResolvedSpec) -> str:
    """The spec's `info.version`, or an empty string when it has none."""
    info = spec.data.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    return str(version) if version is not None else ""


def compare_info(log: ChangeLog) -> None:
    """`info.version` changed: a note, and the input of the versioning policy."""
    before, after = spec_version(log.old), spec_version(log.new)
    if before != after:
        detail = f"info.version changed from {code(before)} to {code(after)}"
        log.add("api-version-changed", "", detail, new_spot("#/info/version"))


def _webhooks(spec: ResolvedSpec) -> dict[str, object]:
    webhooks = spec.data.get("webhooks")
    return webhooks if isinstance(webhooks, dict) else {}


def compare_webhooks(log: ChangeLog) -> None:
    """OpenAPI 3.1 `webhooks` added or removed, by name."""
    old, new = _webhooks(log.old), _webhooks(log.new)
    for name in sorted(old.keys() - new.keys()):
        spot = old_spot(join_pointer("#/webhooks", name))
        log.add("webhook-removed", "", f"webhook {code(name)} removed", spot)
    for name in sorted(new.keys() - old.keys()):
        spot = new_spot(join_pointer("#/webhooks", name))
        log.add("webhook-added", "", f"webhook {code(name)} added", spot)


def diff_specs(old: ResolvedSpec, new: ResolvedSpec) -> DiffReport:
    """Compare two resolved specs: every change, located, leveled and sorted."""
    log = ChangeLog(old, new)
    compare_info(log)
    compare_global_security(log)
    compare_webhooks(log)
    compare_operations(log)
    return DiffReport(
        sorted_changes(log.changes),
        SpecSummary(old.root.display_path, spec_version(old)),
        SpecSummary(new.root.display_path, spec_version(new)),
    )


def diff_paths(old: str | Path, new: str | Path) -> DiffReport:
    """Load both specs (files or `git:REV:path`), reporting the errors of both at once, and diff."""
    errors: list[SpecError] = []
    loaded: list[ResolvedSpec] = []
    for argument in (old, new):
        try:
            loaded.append(load_spec(argument))
        except SpecErrors as failure:
            errors.extend(failure.errors)
    if errors:
        raise SpecErrors(errors)
    return diff_specs(*loaded)


@dataclass(frozen=True)
class VersionGate:
    """What `generate` learns from the previous spec: the diff, a refusal, the new changelog."""

    report: DiffReport
    refusal: str | None
    changelog: str | None


def version_gate(previous: ResolvedSpec, current: ResolvedSpec, changelog: str = "") -> VersionGate:
    """Diff previous -> current: the report, a refusal or None, the merged changelog or None."""
    report = diff_specs(previous, current)
    old_version, new_version = report.old.version, report.new.version
    entry = changelog_entry(report, old_version, new_version)
    return VersionGate(
        report,
        breaking_refusal(report, old_version, new_version),
        merge_changelog(changelog, entry) if report.changes else None,
    )
