"""The official JSON-Schema-Test-Suite (draft 2020-12) through `compile_schema`.

The suite ships inside the jsonschema sdist on PyPI: it is downloaded once with pip into the
cache directory (`$INVITEGEN_CACHE`, default `~/.cache/invitegen/`) and reused. Every case of a
supported keyword runs; every group that uses an unsupported feature must be *rejected* with a
`SchemaCompileError` (its cases are skipped with the reason from the tables below).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.emit.validators import compile_schema
from generator.errors import SchemaCompileError
from generator.jsonschema.formats import FORMATS
from tests.test_compile_schema import unused_names

SUITE_PACKAGE = "jsonschema"
SUITE_VERSION = "4.26.0"
SUITE_MEMBER = f"jsonschema-{SUITE_VERSION}/json/tests/draft2020-12/"

UNEVALUATED = "unevaluatedProperties/unevaluatedItems: unsupported, compile error by design"
DYNAMIC = "$dynamicRef/$dynamicAnchor: unsupported, compile error by design"
ANCHOR = "$anchor and anchor references: unsupported, compile error by design"
REMOTE = "remote refs: unsupported, compile error by design"
EMBEDDED = "embedded resources ($id below the root): unsupported, compile error by design"
DIALECT = "custom metaschemas / $vocabulary: only the 2020-12 dialect, compile error by design"
UNKNOWN = "unknown keywords: a compile error by design (never silently ignored)"
DEPENDENCIES = "draft 7 `dependencies`: not a 2020-12 keyword, compile error by design"
REGEX_DIALECT = "patterns use Python `re`, not ECMA-262 (\\d, \\w, \\s, \\p{..}, \\c differ)"

# Files whose every group must fail to compile.
REJECTED_FILES: dict[str, str] = {
    "anchor.json": ANCHOR,
    "dynamicRef.json": DYNAMIC,
    "refRemote.json": REMOTE,
    "unevaluatedItems.json": UNEVALUATED,
    "unevaluatedProperties.json": UNEVALUATED,
    "vocabulary.json": DIALECT,
    "optional/anchor.json": ANCHOR,
    "optional/cross-draft.json": REMOTE,
    "optional/dependencies-compatibility.json": DEPENDENCIES,
    "optional/dynamicRef.json": DYNAMIC,
    "optional/format-assertion.json": DIALECT,
    "optional/id.json": REMOTE,
    "optional/unknownKeyword.json": REMOTE,
}
# Single groups, in otherwise supported files, that must fail to compile.
REJECTED_GROUPS: dict[tuple[str, str], str] = {
    ("defs.json", "validate definition against metaschema"): REMOTE,
    ("not.json", "collect annotations inside a 'not', even if collection is disabled"): UNEVALUATED,
    ("optional/refOfUnknownKeyword.json", "reference of a root arbitrary keyword "): UNKNOWN,
    (
        "optional/refOfUnknownKeyword.json",
        "reference of an arbitrary keyword of a sub-schema",
    ): UNKNOWN,
    ("ref.json", "remote ref, containing refs itself"): REMOTE,
    ("ref.json", "Recursive references between schemas"): EMBEDDED,
    ("ref.json", "ref creates new scope when adjacent to keywords"): UNEVALUATED,
    ("ref.json", "refs with relative uris and defs"): EMBEDDED,
    ("ref.json", "relative refs with absolute uris and defs"): EMBEDDED,
    (
        "ref.json",
        "$id must be resolved against nearest parent, not just immediate parent",
    ): EMBEDDED,
    ("ref.json", "order of evaluation: $id and $ref"): EMBEDDED,
    ("ref.json", "order of evaluation: $id and $anchor and $ref"): ANCHOR,
    ("ref.json", "URN base URI with URN and anchor ref"): ANCHOR,
    ("ref.json", "URN ref with nested pointer ref"): EMBEDDED,
    ("ref.json", "ref to if"): EMBEDDED,
    ("ref.json", "ref to then"): EMBEDDED,
    ("ref.json", "ref to else"): EMBEDDED,
    ("ref.json", "ref with absolute-path-reference"): EMBEDDED,
}
# Files skipped without a compile-error check: they test behaviour, not keywords.
SKIPPED_FILES: dict[str, str] = {
    "optional/ecmascript-regex.json": REGEX_DIALECT,
    "optional/format/ecmascript-regex.json": REGEX_DIALECT,
}


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled() caches per group
class Group:
    """One schema of the suite with its test cases."""

    file: str
    index: int
    description: str
    schema: Any
    tests: tuple[dict[str, Any], ...]

    @property
    def assert_formats(self) -> bool:
        """Only `optional/format/*` expects formats to be asserted."""
        return self.file.startswith("optional/format/")

    @property
    def rejection(self) -> str | None:
        """Why this group must not compile, if it must not."""
        if self.file in REJECTED_FILES:
            return REJECTED_FILES[self.file]
        format_name = self.file.removeprefix("optional/format/").removesuffix(".json")
        if self.assert_formats and format_name not in FORMATS and self.file not in SKIPPED_FILES:
            return f'format "{format_name}": unsupported, compile error by design when asserted'
        return REJECTED_GROUPS.get((self.file, self.description))


def cache_directory() -> Path:
    """Where downloads are kept between runs (outside the repository)."""
    return Path(os.environ.get("INVITEGEN_CACHE") or Path.home() / ".cache" / "invitegen")


def _download_sdist(cache: Path) -> Path:
    """The jsonschema sdist, fetched with pip once into the cache."""
    archive = cache / f"{SUITE_PACKAGE}-{SUITE_VERSION}.tar.gz"
    if archive.is_file():
        return archive
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:"]
        command += ["--no-deps", f"{SUITE_PACKAGE}=={SUITE_VERSION}", "-d", scratch]
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        os.replace(Path(scratch) / archive.name, archive)  # atomic: parallel workers may race
    return archive


def _extract(archive: Path, target: Path) -> None:
    """Copy the draft 2020-12 test files out of the sdist (only those, by member name)."""
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch, tarfile.open(archive) as sdist:
        for member in sdist.getmembers():
            if member.isfile() and member.name.startswith(SUITE_MEMBER):
                relative = member.name.removeprefix(SUITE_MEMBER)
                if ".." in relative.split("/"):
                    continue
                destination = Path(scratch, "suite", relative)
                destination.parent.mkdir(parents=True, exist_ok=True)
                source = sdist.extractfile(member)
                assert source is not None
                destination.write_bytes(source.read())
        if not target.exists():
            os.replace(Path(scratch, "suite"), target)


@cache
def suite_directory() -> Path | str:
    """The suite's draft2020-12 directory, or why it is unavailable."""
    target = cache_directory() / f"json-schema-test-suite-{SUITE_VERSION}" / "draft2020-12"
    if target.is_dir():
        return target
    try:
        archive = _download_sdist(cache_directory())
        target.parent.mkdir(parents=True, exist_ok=True)
        _extract(archive, target)
    except (OSError, subprocess.SubprocessError, tarfile.TarError) as error:
        return f"JSON-Schema-Test-Suite unavailable (pip download of {SUITE_PACKAGE}): {error}"
    return target


def load_groups() -> list[Group]:
    """Every group of every draft 2020-12 file, in file order."""
    directory = suite_directory()
    if isinstance(directory, str):
        return []
    groups = []
    for path in sorted(directory.rglob("*.json")):
        name = path.relative_to(directory).as_posix()
        for index, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            tests = tuple(group["tests"])
            groups.append(Group(name, index, group["description"], group["schema"], tests))
    return groups


GROUPS = load_groups()
UNAVAILABLE = suite_directory() if isinstance(suite_directory(), str) else None


def _unavailable() -> list[Any]:
    """A lone skipped parameter naming why the suite is missing (instead of an empty set)."""
    return [
        pytest.param(
            None, None, id="suite-unavailable", marks=pytest.mark.skip(reason=str(UNAVAILABLE))
        )
    ]


def _case_parameters() -> list[Any]:
    """One parameter per test case; unsupported ones carry their skip reason."""
    if UNAVAILABLE:
        return _unavailable()
    parameters = []
    for group in GROUPS:
        reason = group.rejection or SKIPPED_FILES.get(group.file)
        for number, case in enumerate(group.tests):
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            identifier = (
                f"{group.file}::{group.index}:{group.description}::{number}:{case['description']}"
            )
            parameters.append(pytest.param(group, case, id=identifier, marks=marks))
    return parameters


def load(source: str) -> types.ModuleType:
    """Execute emitted source as a fresh module."""
    module = types.ModuleType("suite_validator")
    exec(compile(source, "<suite validator>", "exec"), module.__dict__)
    return module


@cache
def compiled(group: Group) -> types.ModuleType:
    """Each suite schema is compiled once, however many cases use it (and has no dead code)."""
    source = compile_schema(group.schema, assert_formats=group.assert_formats)
    assert not unused_names(source), f"unused definitions: {unused_names(source)}\n{source}"
    return load(source)


@pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))
def test_suite_is_present() -> None:
    assert len(GROUPS) > 400


@pytest.mark.parametrize(("group", "case"), _case_parameters())
def test_suite_case(group: Group, case: dict[str, Any]) -> None:
    module = compiled(group)
    errors = list(module.iter_errors(case["data"]))
    try:
        module.validate(case["data"])
    except module.ValidationError:
        fast_valid = False
    else:
        fast_valid = True
    assert fast_valid == (not errors), "the boolean and error variants disagree"
    assert fast_valid == case["valid"], [str(error) for error in errors]


@pytest.mark.parametrize(
    ("group", "reason"),
    [
        pytest.param(group, group.rejection, id=f"{group.file}::{group.index}:{group.description}")
        for group in GROUPS
        if group.rejection
    ]
    or _unavailable(),
)
def test_unsupported_schema_is_rejected(group: Group, reason: str) -> None:
    with pytest.raises(SchemaCompileError):
        compile_schema(group.schema, assert_formats=group.assert_formats)
