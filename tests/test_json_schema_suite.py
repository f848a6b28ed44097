"""The official JSON-Schema-Test-Suite through `compile_schema`, for drafts 4 to 2020-12.

The suite is vendored under tests/json_schema_test_suite/ (MIT, see its LICENSE and README.md
there): no download at test time. Each schema group compiles once, with its draft as the
default dialect and the suite's `remotes/` as the registry (served, as the suite says, from
http://localhost:1234/); every case of the group runs through both the boolean walk (`validate`)
and the error walk (`iter_errors`), which must agree with each other and with the suite.

Groups the compiler refuses on purpose are listed in REFUSED with the reason, and must raise
`SchemaCompileError`; groups with known wrong verdicts are listed in KNOWN_WRONG (optional tests
only: the required ones must all pass). README.md reports the totals.
"""

from __future__ import annotations

import json
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.emit.validators import compile_schema
from generator.errors import SchemaCompileError
from tests.test_compile_schema import unused_names

SUITE = Path(__file__).parent / "json_schema_test_suite"
DRAFTS = ("draft4", "draft6", "draft7", "draft2019-09", "draft2020-12")
REMOTE_BASE = "http://localhost:1234/"

NO_DEPENDENCIES = "2019-09+ has no `dependencies` keyword: ignored as the specification says"
ONE_IS_INTEGER = "1.0 is an integer here in every draft (draft 4 alone says it is not)"
CONTENT = "contentMediaType/contentEncoding are annotations, never asserted"

# (draft or "*", file, group description or "*") -> why the compiler refuses it.
REFUSED: dict[tuple[str, str, str], str] = {}
# (draft or "*", file, group description or "*") -> why some verdicts differ (optional tests
# only). Each entry must match at least one group with a wrong verdict (no stale entries).
KNOWN_WRONG: dict[tuple[str, str, str], str] = {
    ("*", "optional/dependencies-compatibility.json", "*"): NO_DEPENDENCIES,
    ("*", "optional/zeroTerminatedFloats.json", "*"): ONE_IS_INTEGER,
    ("*", "optional/content.json", "*"): CONTENT,
}


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled() caches per group
class Group:
    """One schema of the suite with its test cases."""

    draft: str
    file: str
    index: int
    description: str
    schema: Any
    tests: tuple[dict[str, Any], ...]

    @property
    def assert_formats(self) -> bool:
        """Only `optional/format/*` expects formats to be asserted."""
        return self.file.startswith("optional/format/")

    def _lookup(self, table: dict[tuple[str, str, str], str]) -> str | None:
        for draft in (self.draft, "*"):
            for description in (self.description, "*"):
                if (draft, self.file, description) in table:
                    return table[(draft, self.file, description)]
        return None

    @property
    def refusal(self) -> str | None:
        """Why this group must not compile, if it must not."""
        return self._lookup(REFUSED)

    @property
    def known_wrong(self) -> str | None:
        """Why some cases of this group get the wrong verdict, if they do."""
        return self._lookup(KNOWN_WRONG)


@cache
def registry() -> dict[str, Any]:
    """The suite's remotes/, by the URI the suite serves them at."""
    remotes = SUITE / "remotes"
    return {
        REMOTE_BASE + path.relative_to(remotes).as_posix(): json.loads(path.read_text("utf-8"))
        for path in sorted(remotes.rglob("*.json"))
    }


def load_groups() -> list[Group]:
    """Every group of every file of the five drafts, in file order."""
    groups = []
    for draft in DRAFTS:
        directory = SUITE / "tests" / draft
        for path in sorted(directory.rglob("*.json")):
            name = path.relative_to(directory).as_posix()
            for index, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
                tests = tuple(group["tests"])
                schema = group["schema"]
                groups.append(Group(draft, name, index, group["description"], schema, tests))
    return groups


GROUPS = load_groups()


def load(source: str) -> types.ModuleType:
    """Execute emitted source as a fresh module."""
    module = types.ModuleType("suite_validator")
    exec(compile(source, "<suite validator>", "exec"), module.__dict__)
    return module


@cache
def compiled(group: Group) -> types.ModuleType:
    """Each suite schema is compiled once (and has no dead code)."""
    source = compile_schema(
        group.schema, draft=group.draft, assert_formats=group.assert_formats, registry=registry()
    )
    assert not unused_names(source), f"unused definitions: {unused_names(source)}\n{source}"
    return load(source)


def wrong_cases(group: Group) -> list[str]:
    """Descriptions of the group's cases whose verdict differs from the suite's."""
    module = compiled(group)
    wrong = []
    for case in group.tests:
        errors = list(module.iter_errors(case["data"]))
        try:
            module.validate(case["data"])
        except module.ValidationError:
            fast_valid = False
        else:
            fast_valid = True
        if fast_valid != (not errors):
            wrong.append(f"{case['description']}: validate and iter_errors disagree")
        elif fast_valid != case["valid"]:
            wrong.append(f"{case['description']}: {[str(error) for error in errors]}")
    return wrong


def _identifier(group: Group) -> str:
    return f"{group.draft}/{group.file}::{group.index}:{group.description}"


def test_suite_is_vendored() -> None:
    assert (SUITE / "LICENSE").is_file()
    assert {group.draft for group in GROUPS} == set(DRAFTS)
    assert len(GROUPS) > 1500


def refused(group: Group) -> SchemaCompileError | None:
    """The compile error of a group, or None when it compiles."""
    try:
        compiled(group)
    except SchemaCompileError as error:
        return error
    return None


@pytest.mark.parametrize("group", [pytest.param(group, id=_identifier(group)) for group in GROUPS])
def test_suite_group(group: Group) -> None:
    error = refused(group)
    if error is not None:
        assert group.refusal, f"refused without a listed reason: {error}"
        pytest.skip(f"{group.refusal}: {error.message}")
    wrong = wrong_cases(group)
    if wrong and group.known_wrong and group.file.startswith("optional/"):
        pytest.xfail(group.known_wrong)
    assert not wrong, "\n".join(wrong)


def _matching(key: tuple[str, str, str]) -> list[Group]:
    draft, file, description = key
    return [
        group
        for group in GROUPS
        if group.file == file
        and draft in ("*", group.draft)
        and description in ("*", group.description)
    ]


@pytest.mark.parametrize("key", sorted(KNOWN_WRONG))
def test_known_wrong_entries_are_needed(key: tuple[str, str, str]) -> None:
    assert key[1].startswith("optional/"), "required tests must all pass"
    groups = [group for group in _matching(key) if refused(group) is None]
    assert any(wrong_cases(group) for group in groups), f"stale entry: {key}"


@pytest.mark.parametrize("key", sorted(REFUSED))
def test_refusals_are_needed(key: tuple[str, str, str]) -> None:
    assert any(refused(group) for group in _matching(key)), f"stale entry: {key}"
