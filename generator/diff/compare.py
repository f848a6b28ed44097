"""`invitegen diff`: two versions of a spec -> the changes users care about, ERR first.

The comparison is structural, through `$ref`s on both sides, and direction-aware: a request schema
that accepts less breaks clients, a response schema that may return more breaks readers. Rules,
their ids, levels (oasdiff's ERR/WARN/INFO) and categories are in `rules.RULES`:

| module | job |
|---|---|
| `source` | file or `git:REV:path` -> `ResolvedSpec` (OpenAPI 3.x only) |
| `document` | info.version, webhooks, components, oasdiff's versioning policy |
| `operations`, `bodies`, `access` | operations, parameters, bodies, responses, headers, security |
| `lifecycle`, `media_types` | deprecation/sunset/stability verdicts (`DiffPolicy`); media type renames |
| `schema`, `schema_branches`, `schema_checks`, `schema_view` | two schemas -> keyword changes |
| `report` | `DiffReport`, grouped, as text / Markdown / JSON / YAML |
| `version` | semver policy: `is_major_bump`, `changelog_entry`, `breaking_refusal` |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.diff.access import compare_global_security
from generator.diff.document import (
    apply_versioning_policy,
    compare_component_schemas,
    compare_info,
    compare_security_schemes,
    compare_webhooks,
    spec_version,
)
from generator.diff.lifecycle import DiffPolicy
from generator.diff.model import Change, ChangeLog
from generator.diff.operations import compare_operations
from generator.diff.report import RENDERERS, DiffReport, SpecSummary, sorted_changes
from generator.diff.rules import RULES, Category, Level, Rule
from generator.diff.source import GitSource, head_source, load_spec
from generator.diff.version import (
    breaking_refusal,
    changelog_entry,
    is_major_bump,
    merge_changelog,
    next_major,
)
from generator.errors import SpecError, SpecErrors
from generator.output.writer import CHANGELOG_FILE
from generator.spec.refs import ResolvedSpec

__all__ = [
    "CHANGELOG_FILE",
    "RENDERERS",
    "RULES",
    "Category",
    "Change",
    "DiffPolicy",
    "DiffReport",
    "GitSource",
    "Level",
    "Rule",
    "VersionGate",
    "breaking_refusal",
    "changelog_entry",
    "diff_paths",
    "diff_specs",
    "head_source",
    "is_major_bump",
    "load_spec",
    "merge_changelog",
    "next_major",
    "spec_version",
    "version_gate",
]


DOCUMENT_COMPARERS = (
    compare_info,
    compare_global_security,
    compare_security_schemes,
    compare_webhooks,
    compare_component_schemas,
    compare_operations,
    apply_versioning_policy,  # last: it judges the ERR changes the others found
)


def diff_specs(
    old: ResolvedSpec,
    new: ResolvedSpec,
    today: date | None = None,
    policy: DiffPolicy | None = None,
) -> DiffReport:
    """Compare two resolved specs: every change, located, leveled and sorted.

    `today` dates `x-sunset` checks (a deprecated operation removed before its sunset is ERR);
    `policy` says how many days ahead a new deprecation's sunset must be (oasdiff's
    `--deprecation-days-stable`/`-beta`; 0 by default, as there).
    """
    log = ChangeLog(old, new, today=today or date.today(), policy=policy or DiffPolicy())
    for comparer in DOCUMENT_COMPARERS:
        comparer(log)
    return DiffReport(
        sorted_changes(log.changes),
        SpecSummary(old.root.display_path, spec_version(old)),
        SpecSummary(new.root.display_path, spec_version(new)),
    )


def diff_paths(old: str | Path, new: str | Path, policy: DiffPolicy | None = None) -> DiffReport:
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
    return diff_specs(loaded[0], loaded[1], policy=policy)


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
