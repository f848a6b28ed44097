"""`invitegen diff`: rules and levels in both directions, structural comparison, rendering, git input,
and the versioning policy.

Most cases are mutations of one base spec (`tests/diff_specs/base.yaml`) listed as small edits in
`tests/diff_specs/cases.yaml`; each names the rule and level expected old -> new and new -> old.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import (
    RULES,
    DiffPolicy,
    DiffReport,
    Level,
    breaking_refusal,
    changelog_entry,
    diff_paths,
    diff_specs,
    is_major_bump,
    load_spec,
    merge_changelog,
    next_major,
    version_gate,
)
from generator.errors import SpecErrors
from generator.spec.refs import ResolvedSpec

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "diff_specs"
ROOT = HERE.parent
REAL_SPEC = ROOT / "spec" / "driveitem-invite.yaml"
ITEMS_LABEL = "items_invite (POST /items/{item-id}/invite)"
# libyaml's dumper is ~7x faster; every case writes two specs.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Case:
    """One mutation of the base spec and the (rule, level) expected each way."""

    id: str
    edits: tuple[tuple[Any, ...], ...]
    old_edits: tuple[tuple[Any, ...], ...]
    forward: frozenset[tuple[str, str]]
    backward: frozenset[tuple[str, str]]
    # `DiffPolicy` fields (deprecation days), for the sunset-policy cases.
    policy: tuple[tuple[str, int], ...] = ()


@cache
def _table() -> dict[str, Any]:
    table: dict[str, Any] = yaml.safe_load((CASES_DIR / "cases.yaml").read_text(encoding="utf-8"))
    return table


@cache
def _base() -> dict[str, Any]:
    base: dict[str, Any] = yaml.safe_load((CASES_DIR / "base.yaml").read_text(encoding="utf-8"))
    return base


def _expected(listed: list[Any]) -> frozenset[tuple[str, str]]:
    """`[rule, LEVEL]` or `[[rule, LEVEL], ...]` -> the set of pairs."""
    pairs = listed if not listed or isinstance(listed[0], list) else [listed]
    return frozenset((rule, level) for rule, level in pairs)


def _cases() -> list[Case]:
    return [
        Case(
            entry["id"],
            tuple(tuple(edit) for edit in entry["edits"]),
            tuple(tuple(edit) for edit in entry.get("old_edits", ())),
            _expected(entry["forward"]),
            _expected(entry["backward"]),
            tuple(sorted(entry.get("policy", {}).items())),
        )
        for entry in _table()["cases"]
    ]


def _tokens(pointer: str) -> list[str]:
    for alias, expansion in _table()["aliases"].items():
        if pointer.startswith(alias):
            pointer = expansion + pointer[len(alias) :]
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]


def _parent(data: Any, pointer: str) -> tuple[Any, str]:
    *path, last = _tokens(pointer)
    for token in path:
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data, last


def _apply(data: dict[str, Any], edit: tuple[Any, ...]) -> None:
    operation, pointer, *value = edit
    parent, last = _parent(data, pointer)
    key: Any = int(last) if isinstance(parent, list) else last
    if operation == "set":
        parent[key] = copy.deepcopy(value[0])
    elif operation == "delete":
        del parent[key]
    elif operation == "append":
        parent[key].append(copy.deepcopy(value[0]))
    elif operation == "move":
        moved = parent.pop(key)
        target, target_key = _parent(data, value[0])
        target[target_key] = moved
    else:
        raise ValueError(f"unknown edit {operation!r}")


def _edited(*edit_lists: tuple[tuple[Any, ...], ...]) -> dict[str, Any]:
    data = copy.deepcopy(_base())
    for edits in edit_lists:
        for edit in edits:
            _apply(data, edit)
    return data


def _resolve(data: dict[str, Any], folder: Path, name: str) -> ResolvedSpec:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.dump(data, Dumper=_DUMPER, sort_keys=False), encoding="utf-8")
    return load_spec(path)


def _pair(tmp_path: Path, case: Case) -> tuple[ResolvedSpec, ResolvedSpec]:
    old = _resolve(_edited(case.old_edits), tmp_path, "old")
    new = _resolve(_edited(case.old_edits, case.edits), tmp_path, "new")
    return old, new


# oasdiff's versioning policy adds one of these to any ERR case (both sides are 1.0.0); the
# cases check them on their own (`versioning-policy-*`), the others leave them out.
POLICY_RULES = frozenset(
    {"api-version-not-bumped", "api-version-decreased", "api-major-version-not-bumped"}
)


def _rules(report: DiffReport, policy: bool = False) -> set[tuple[str, str]]:
    return {
        (change.rule, change.level.value)
        for change in report.changes
        if policy or change.rule not in POLICY_RULES
    }


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.id)
def test_case_forward_and_backward(tmp_path: Path, case: Case) -> None:
    old, new = _pair(tmp_path, case)
    policy = case.id.startswith("versioning-policy")
    today = date(2026, 1, 1)  # x-sunset cases are dated around it
    days = DiffPolicy(**dict(case.policy))
    assert _rules(diff_specs(old, new, today, days), policy) == case.forward
    assert _rules(diff_specs(new, old, today, days), policy) == case.backward


def test_the_cases_cover_at_least_forty_kinds_and_use_catalogued_rules() -> None:
    used = set().union(*(case.forward | case.backward for case in _cases()))
    assert len({rule for rule, _ in used}) >= 40
    for rule, level in used:
        assert RULES[rule].level.value == level


def test_change_names_operation_property_path_and_the_changed_keyword(tmp_path: Path) -> None:
    case = next(case for case in _cases() if case.id == "request-max-length-decreased")
    report = diff_specs(*_pair(tmp_path, case))
    change = next(change for change in report.changes if change.operation == ITEMS_LABEL)
    assert change.message.startswith(f"{ITEMS_LABEL}: request property `message` maxLength")
    assert "from 2000 to 100" in change.message
    new_text = (tmp_path / "new.yaml").read_text(encoding="utf-8").splitlines()
    file, line, column = change.location.rsplit(":", 2)
    assert file.endswith("new.yaml") and int(column) >= 1
    assert new_text[int(line) - 1].strip() == "maxLength: 100"
    assert change.pointer == "#/components/schemas/inviteRequest/properties/message/maxLength"


@pytest.mark.parametrize(
    ("case_id", "path"),
    [
        ("request-pattern-added", "`recipients[].objectId`"),
        ("request-enum-value-removed", "`roles[]`"),
        ("response-property-removed-behind-nullable-ref", "`value[].link.webUrl`"),
        ("response-recursive-schema-changed", "`value[].tree.name`"),
    ],
)
def test_property_paths_go_through_refs_arrays_and_nullable_wrappers(
    tmp_path: Path, case_id: str, path: str
) -> None:
    case = next(case for case in _cases() if case.id == case_id)
    report = diff_specs(*_pair(tmp_path, case))
    located = [change for change in report.changes if change.operation]
    assert located and all(path in change.message for change in located)


def test_warn_changes_name_the_property_path(tmp_path: Path) -> None:
    case = next(case for case in _cases() if case.id == "response-enum-value-added")
    changes = diff_specs(*_pair(tmp_path, case)).changes
    assert len(changes) == 2  # one per operation, grouped in the report
    for change in changes:
        assert change.level is Level.WARN
        assert '`value[].roles[]` enum value `"owner"` added' in change.message
        assert change.pointer == "#/components/schemas/grantedRole/enum/2"


def test_removed_things_are_located_in_the_old_spec(tmp_path: Path) -> None:
    case = next(case for case in _cases() if case.id == "response-property-removed")
    change = diff_specs(*_pair(tmp_path, case)).changes[0]
    assert "old.yaml:" in change.location
    assert change.pointer == "#/components/schemas/permission/properties/shareId"


def test_shared_response_schemas_are_walked_once_with_every_status(tmp_path: Path) -> None:
    edits = ((("set", "$ITEMS/responses/401", {"$ref": "#/components/responses/badRequest"})),)
    old = _resolve(_edited(edits), tmp_path, "old")
    new_data = _edited(edits, (("delete", "$SCHEMAS/error/properties/code"),))
    report = diff_specs(old, _resolve(new_data, tmp_path, "new"))
    items = [
        change
        for change in report.changes
        if change.operation == ITEMS_LABEL and change.rule == "response-optional-property-removed"
    ]
    assert len(items) == 1
    assert "(responses 400, 401; application/json)" in items[0].message


def test_identical_specs_have_no_changes(tmp_path: Path) -> None:
    spec = _resolve(_edited(), tmp_path, "same")
    report = diff_specs(spec, spec)
    assert report.changes == () and report.breaking == ()
    assert "no changes" in report.render_text()


def test_real_spec_against_itself_has_no_changes() -> None:
    spec = load_spec(REAL_SPEC)
    assert diff_specs(spec, spec).changes == ()


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param((("set", "$SCHEMAS/unused", {"type": "string"}),), id="unused-component"),
        pytest.param(
            (
                (
                    "set",
                    "$REQUEST/recipients/items",
                    _base()["components"]["schemas"]["driveRecipient"],
                ),
            ),
            id="ref-inlined",
        ),
        pytest.param(
            (
                ("move", "$SCHEMAS/grantedRole", "$SCHEMAS/responseRole"),
                ("set", "$PERMISSION/roles/items/$ref", "#/components/schemas/responseRole"),
            ),
            id="component-renamed",
        ),
        pytest.param((("set", "$REQUEST/message/description", "Changed."),), id="description"),
    ],
)
def test_structurally_equal_specs_have_no_changes(
    tmp_path: Path, edits: tuple[tuple[Any, ...], ...]
) -> None:
    old = _resolve(_edited(), tmp_path, "old")
    new = _resolve(_edited(edits), tmp_path, "new")
    changes = diff_specs(old, new).changes
    # A renamed component is, as in oasdiff, one component schema removed (INFO) and no more.
    assert [change.rule for change in changes] in ([], ["api-schema-removed"])


def test_multi_file_specs_compare_through_relative_refs() -> None:
    report = diff_paths(CASES_DIR / "multifile/v1/spec.yaml", CASES_DIR / "multifile/v2/spec.yaml")
    assert _rules(report) == {
        ("request-property-max-length-decreased", "ERR"),
        ("request-property-max-length-set", "WARN"),
        ("api-version-changed", "INFO"),
    }
    located = {change.location.rsplit(":", 2)[0] for change in report.changes if change.operation}
    assert all(location.endswith("multifile/v2/schemas.yaml") for location in located)


def _report(tmp_path: Path) -> DiffReport:
    edits = (
        ("set", "$REQUEST/message/maxLength", 100),
        ("append", "$SCHEMAS/grantedRole/enum", "owner"),
        ("set", "$REQUEST/note", {"type": "string"}),
        ("set", "/info/version", "1.1.0"),
    )
    old = _resolve(_edited(), tmp_path, "old")
    return diff_specs(old, _resolve(_edited(edits), tmp_path, "new"))


def test_report_order_is_by_level_and_deterministic(tmp_path: Path) -> None:
    report = _report(tmp_path)
    ranks = [change.level.rank for change in report.changes]
    assert ranks == sorted(ranks)
    assert report.changes == _report(tmp_path).changes
    assert report.summary() == "1 ERR, 1 WARN, 3 INFO"  # distinct changes, not per operation


def test_render_json_and_yaml_carry_grouped_changes(tmp_path: Path) -> None:
    report = _report(tmp_path)
    document = json.loads(report.render_json())
    assert yaml.safe_load(report.render_yaml()) == document
    assert document["breaking"] is True
    assert document["old"]["version"] == "1.0.0" and document["new"]["version"] == "1.1.0"
    assert document["summary"] == {"ERR": 1, "WARN": 1, "INFO": 3}
    first = document["changes"][0]
    assert set(first) == {
        "rule",
        "level",
        "category",
        "operations",
        "location",
        "message",
        "pointer",
    }
    assert first["rule"] == "request-property-max-length-decreased"
    assert first["category"] == "api" and first["level"] == "ERR"
    assert first["operations"] == [
        "drives_items_invite (POST /drives/{drive-id}/items/{item-id}/invite)",
        ITEMS_LABEL,
    ]


def test_render_markdown_lists_each_change_once_with_its_operations(tmp_path: Path) -> None:
    markdown = _report(tmp_path).render_markdown()
    assert markdown.startswith("# API changes: ")
    order = [
        markdown.index(heading)
        for heading in (
            "## Breaking changes (ERR) (1)",
            "## Possibly breaking changes (WARN) (1)",
            "## Other changes (INFO) (3)",
        )
    ]
    assert order == sorted(order)
    assert markdown.count("`request-property-max-length-decreased`") == 1
    assert (
        f"  - in `drives_items_invite (POST /drives/{{drive-id}}/items/{{item-id}}/invite)`, `{ITEMS_LABEL}`"
        in markdown
    )
    assert "- `response-property-enum-value-added` response property `value[].roles[]`" in markdown


def test_render_text_lines_start_with_a_location(tmp_path: Path) -> None:
    text = _report(tmp_path).render_text()
    changes = [
        line
        for line in text.splitlines()
        if line.startswith("  ") and not line.startswith("      ")
    ]
    assert len(changes) == 5  # api-major-version-not-bumped: 1.0.0 -> 1.1.0 with an ERR change
    assert all(".yaml:" in line.split(": ", 1)[0] for line in changes)
    operations = [line for line in text.splitlines() if line.startswith("      in ")]
    assert len(operations) == 3


def _git(repository: Path, *arguments: str) -> None:
    identity = ("-c", "user.name=invitegen", "-c", "user.email=invitegen@example.com")
    subprocess.run(
        ["git", *identity, "-c", "commit.gpgsign=false", *arguments],
        cwd=repository,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revisions_are_read_with_their_referenced_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = tmp_path / "repository"
    (repository / "api").mkdir(parents=True)
    _git(repository, "init", "-q")
    for version in ("v1", "v2"):
        for name in ("spec.yaml", "schemas.yaml"):
            shutil.copy(CASES_DIR / "multifile" / version / name, repository / "api" / name)
        _git(repository, "add", "-A")
        _git(repository, "commit", "-q", "-m", version)
    monkeypatch.chdir(repository)
    report = diff_paths("git:HEAD~1:api/spec.yaml", "git:HEAD:api/spec.yaml")
    assert ("request-property-max-length-decreased", "ERR") in _rules(report)
    assert report.old.source == "git:HEAD~1:api/spec.yaml"
    assert report.breaking[0].location.startswith("git:HEAD:api/schemas.yaml:")
    assert diff_paths("git:HEAD:api/spec.yaml", "api/spec.yaml").changes == ()
    with pytest.raises(SpecErrors) as failure:
        diff_paths("git:no-such-rev:api/spec.yaml", "api/spec.yaml")
    assert str(failure.value).startswith("git:no-such-rev:api/spec.yaml:1:1: #: cannot read spec")


def test_unreadable_specs_raise_located_errors_for_both_sides(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpecErrors) as failure:
        diff_paths(tmp_path / "missing.yaml", broken)
    messages = [str(error) for error in failure.value.errors]
    assert len(messages) == 2
    assert any("missing.yaml:1:1: #: cannot read spec" in message for message in messages)
    assert any("broken.yaml:3:1: #: invalid YAML" in message for message in messages)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("1.0.0", "2.0.0", True),
        ("1.9.3", "2.0.0-rc.1", True),
        ("v1.2", "v3", True),
        ("1.0.0", "1.1.0", False),
        ("1.0.0", "1.0.1", False),
        ("2.0.0", "1.0.0", False),
        ("1.0.0", "1.0.0", False),
        ("0.1.0", "0.2.0", True),
        ("0.1.0", "0.1.5", False),
        ("0.9.0", "1.0.0", True),
        ("0.2.0", "0.1.0", False),
        ("1.0.0", "next", False),
    ],
)
def test_is_major_bump(old: str, new: str, expected: bool) -> None:
    assert is_major_bump(old, new) is expected


def test_next_major() -> None:
    assert [next_major(version) for version in ("1.4.2", "0.3.1", "junk")] == [
        "2.0.0",
        "0.4.0",
        "1.0.0",
    ]


def test_changelog_entry_groups_operations_by_change(tmp_path: Path) -> None:
    entry = changelog_entry(_report(tmp_path), "1.0.0", "1.1.0")
    assert entry.startswith("## 1.1.0\n\nChanges from 1.0.0 to 1.1.0.\n")
    assert "### Breaking changes (ERR)" in entry and "### Other changes (INFO)" in entry
    line = next(line for line in entry.splitlines() if "max-length-decreased" in line)
    assert "(2 operations: drives_items_invite" in line
    note = next(line for line in entry.splitlines() if "api-version-changed" in line)
    assert note == "- `api-version-changed` info.version changed from `1.0.0` to `1.1.0`"
    assert changelog_entry(DiffReport(()), "1", "1").endswith("No API changes.\n")


def test_breaking_refusal_requires_a_major_bump(tmp_path: Path) -> None:
    report = _report(tmp_path)
    refusal = breaking_refusal(report, "1.0.0", "1.1.0")
    assert refusal is not None
    assert "2 breaking change(s)" in refusal and "--allow-breaking" in refusal
    assert "set info.version to 2.0.0" in refusal
    assert breaking_refusal(report, "1.0.0", "2.0.0") is None
    assert breaking_refusal(DiffReport(()), "1.0.0", "1.0.1") is None


def test_every_rule_has_a_known_level() -> None:
    assert len(RULES) >= 20
    assert all(rule.level in Level and rule.id == key for key, rule in RULES.items())


def test_changelog_heading_says_unreleased_when_the_version_did_not_change(tmp_path: Path) -> None:
    entry = changelog_entry(_report(tmp_path), "1.0.0", "1.0.0")
    assert entry.startswith("## Unreleased (info.version still 1.0.0)\n")


def test_merge_changelog_appends_and_replaces_its_own_section_idempotently() -> None:
    first = merge_changelog("", "## 1.1.0\n\nOne.\n")
    assert first.startswith("# Changelog\n") and first.endswith("\n## 1.1.0\n\nOne.\n")
    second = merge_changelog(first, "## 2.0.0\n\nTwo.\n")
    assert second.index("## 1.1.0") < second.index("## 2.0.0")
    assert merge_changelog(second, "## 2.0.0\n\nTwo.\n") == second
    replaced = merge_changelog(second, "## 1.1.0\n\nOne, revised.\n")
    assert "One, revised." in replaced and "One.\n" not in replaced and "Two." in replaced


def test_version_gate_refuses_then_allows_a_major_bump(tmp_path: Path) -> None:
    old = _resolve(_edited(), tmp_path, "old")
    breaking = (("set", "$REQUEST/message/maxLength", 100),)
    minor = _resolve(_edited(breaking, (("set", "/info/version", "1.1.0"),)), tmp_path, "minor")
    gate = version_gate(old, minor, "# Changelog\n")
    assert gate.refusal is not None and gate.report.breaking
    assert gate.changelog is not None and "## 1.1.0" in gate.changelog
    major = _resolve(_edited(breaking, (("set", "/info/version", "2.0.0"),)), tmp_path, "major")
    assert version_gate(old, major).refusal is None
    unchanged = version_gate(old, old, "# Changelog\n")
    assert unchanged.refusal is None and unchanged.changelog is None


@pytest.mark.parametrize(
    ("case_id", "side", "pointer"),
    [
        ("request-pattern-added", "new", "/driveRecipient/properties/objectId/pattern"),
        ("request-enum-value-removed", "old", "/permissionRole/enum/1"),
        ("request-became-enum", "new", "/driveRecipient/properties/objectId/enum"),
        ("request-became-not-nullable", "new", "/inviteRequest/properties/message/type"),
        ("request-property-became-required", "new", "/inviteRequest/required/1"),
        ("response-became-optional", "old", "/permission/required/0"),
        ("request-additional-properties-closed", "new", "/driveRecipient/additionalProperties"),
        ("response-property-removed", "old", "/permission/properties/shareId"),
        ("parameter-became-required", "new", "/parameters/0/required"),
        ("response-header-became-optional", "new", "/headers/X-Request-Id/required"),
    ],
)
def test_changes_are_located_at_the_keyword_that_changed(
    tmp_path: Path, case_id: str, side: str, pointer: str
) -> None:
    case = next(case for case in _cases() if case.id == case_id)
    report = diff_specs(*_pair(tmp_path, case))
    api = [
        change for change in report.changes if change.category.value == "api" and change.operation
    ]
    assert api and all(change.pointer.endswith(pointer) for change in api), api
    assert all(f"{side}.yaml:" in change.location for change in api)
