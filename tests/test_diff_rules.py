"""The rule table: every rule `invitegen diff` can report is exercised by an example pair.

Schema rules: each pair of `tests/diff_specs/schema_cases.yaml` is placed at every position a schema
can have, in one spec with one operation per position, and must give `<prefix>-<suffix>` there.
Operation, parameter, property and generated-client rules: `tests/diff_specs/cases.yaml` (run by
`tests/test_diff.py`). Together they must name every rule of `RULES`, and `docs/diff-rules.md`
must be the table `generator.diff.ruledoc` writes.
"""

from __future__ import annotations

import json
from functools import cache, partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diff.compare import RULES, diff_specs, load_spec
from generator.diff.ruledoc import render_rule_table
from generator.diff.rules import READ_ONLY_PREFIX, WRITE_ONLY_PREFIX, schema_rule_id
from tests.test_diff import _cases

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA_CASES = HERE / "diff_specs" / "schema_cases.yaml"
RULE_DOC = ROOT / "docs" / "diff-rules.md"

Json = Any
# prefix -> (direction, operation path): one operation per position in the template spec.
POSITIONS = {
    "request-body": "/request-body",
    "request-property": "/request-property",
    "request-parameter": "/request-parameter",
    "request-parameter-property": "/request-parameter-property",
    READ_ONLY_PREFIX: "/read-only",
    "response-body": "/response-body",
    "response-property": "/response-property",
    "response-header": "/response-header",
    WRITE_ONLY_PREFIX: "/write-only",
}


@cache
def _schema_cases() -> list[dict[str, Json]]:
    cases: list[dict[str, Json]] = yaml.safe_load(SCHEMA_CASES.read_text(encoding="utf-8"))["cases"]
    return cases


def _body(schema: Json, media: str = "application/json") -> Json:
    return {"content": {media: {"schema": schema}}}


def _template(schema: Json, media: str = "application/json") -> Json:
    """A spec with `schema` at every position of `POSITIONS`, bodies under `media`."""
    holder = {"type": "object", "properties": {"p": schema}}
    ok = {"description": "ok"}
    _json_body = partial(_body, media=media)

    def post(**operation: Json) -> Json:
        return {"post": {"responses": {"200": ok}, **operation}}

    paths = {
        "/request-body": post(requestBody=_json_body(schema)),
        "/request-property": post(requestBody=_json_body(holder)),
        "/request-parameter": post(parameters=[{"name": "q", "in": "query", "schema": schema}]),
        "/request-parameter-property": post(
            parameters=[{"name": "q", "in": "query", "style": "deepObject", "schema": holder}]
        ),
        "/read-only": post(
            requestBody=_json_body(
                {"type": "object", "properties": {"p": {"readOnly": True, "allOf": [schema]}}}
            )
        ),
        "/response-body": post(responses={"200": {**ok, **_json_body(schema)}}),
        "/response-property": post(responses={"200": {**ok, **_json_body(holder)}}),
        "/response-header": post(
            responses={"200": {**ok, "headers": {"X-Rate": {"schema": schema}}}}
        ),
        "/write-only": post(
            responses={
                "200": {
                    **ok,
                    **_json_body(
                        {
                            "type": "object",
                            "properties": {"p": {"writeOnly": True, "allOf": [schema]}},
                        }
                    ),
                }
            }
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "rule examples", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": {"Name": {"type": "string"}, "Count": {"type": "integer"}}},
    }


def _expected(suffix: str, prefix: str, nested: bool = False) -> str:
    return schema_rule_id(*_expected_parts(suffix, prefix, nested))


def _suffix_at(case: dict[str, Json], direction: str, prefix: str) -> str | None:
    """The case's suffix for one direction at one position (`<direction>_at` overrides)."""
    suffix: str | None = case.get(f"{direction}_at", {}).get(prefix, case[direction])
    return suffix


def _expected_parts(suffix: str, prefix: str, nested: bool) -> tuple[str, str]:
    if nested:  # the change is below the position's schema: a property-level rule
        nested = {
            "request-body": "request-property",
            "request-parameter": "request-parameter-property",
            "response-body": "response-property",
            "response-header": "response-property",
        }
        prefix = nested.get(prefix, prefix)
    if (
        suffix == "type-specialized"
        and prefix.startswith("request-")
        and prefix not in (READ_ONLY_PREFIX, "request-parameter-property")
    ):
        return prefix, "type-changed"  # oasdiff has no request-*-type-specialized
    return prefix, suffix


def _found(
    tmp_path: Path, old: Json, new: Json, media: str = "application/json"
) -> dict[str, set[tuple[str, str]]]:
    """Operation path -> the (rule, level) pairs reported there."""
    (tmp_path / "old.json").write_text(json.dumps(_template(old, media)), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(_template(new, media)), encoding="utf-8")
    report = diff_specs(load_spec(tmp_path / "old.json"), load_spec(tmp_path / "new.json"))
    found: dict[str, set[tuple[str, str]]] = {path: set() for path in POSITIONS.values()}
    for change in report.changes:
        if not change.operation:
            continue  # oasdiff's versioning policy (the template's version never changes)
        path = change.operation.split(" ", 1)[1].rstrip(")")
        found[path].add((change.rule, change.level.value))
    return found


@pytest.mark.parametrize("case", _schema_cases(), ids=lambda case: case["id"])
def test_schema_rule_examples_at_every_position(tmp_path: Path, case: dict[str, Json]) -> None:
    media = case.get("media", "application/json")
    for old, new, direction in (
        (case["old"], case["new"], "forward"),
        (case["new"], case["old"], "backward"),
    ):
        found = _found(tmp_path, old, new, media)
        if (
            case[direction] is None
        ):  # no rule that way (adding an x-extensible-enum value is its point)
            assert all(not rules for rules in found.values()), found
            continue
        for prefix, path in POSITIONS.items():
            suffix = _suffix_at(case, direction, prefix)
            assert suffix is not None
            rule = _expected(suffix, prefix, case.get("nested", False))
            assert found[path] == {(rule, RULES[rule].level.value)}, (prefix, found[path])


def _examples() -> set[str]:
    schema = {
        _expected(suffix, prefix, case.get("nested", False))
        for case in _schema_cases()
        for direction in ("forward", "backward")
        for prefix in POSITIONS
        if (suffix := _suffix_at(case, direction, prefix)) is not None
    }
    operations = {rule for case in _cases() for rule, _ in case.forward | case.backward}
    return schema | operations


def test_every_rule_has_an_example_pair() -> None:
    missing = sorted(set(RULES) - _examples())
    assert not missing, f"rules without an example pair in tests/diff_specs/: {missing}"


def test_examples_name_only_catalogued_rules() -> None:
    assert not _examples() - set(RULES)


def test_the_rule_document_is_the_rule_table() -> None:
    assert (
        RULE_DOC.read_text(encoding="utf-8") == render_rule_table()
    ), "docs/diff-rules.md is stale: run `python -m generator.diff.ruledoc > docs/diff-rules.md`"
