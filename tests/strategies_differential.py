"""The differential property: compiled validators and `jsonschema.Draft202012Validator` agree.

The reference validates the emitted `generated/schemas/<name>.schema.json` with
`Draft202012Validator.FORMAT_CHECKER`. In jsonschema 4.26 that checker asserts `date-time` only
with rfc3339-validator and `uri` only with rfc3986-validator installed (both pinned in
requirements-dev.txt; `test_reference_checks_the_formats_the_spec_uses` fails without them).
Its `email` check is only "contains an @", far weaker than the compiled RFC 5321 check, so one
disagreement is expected and allowed: the compiled validator rejects, the reference accepts,
and every compiled error is an email format error on a string with an "@" (`email_gap`).
Strategies and mutations never produce such strings, so it can only show up for arbitrary JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from types import ModuleType
from typing import Any

import graph_invite.validators
from hypothesis import given, note, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError as ReferenceValidationError  # type: ignore[import-untyped]

from tests.strategies_mutation import schema_document


@cache
def reference(name: str) -> Draft202012Validator:
    """The reference validator for one emitted schema file, with its format checker on."""
    return Draft202012Validator(
        schema_document(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def reference_paths(errors: Iterable[ReferenceValidationError]) -> set[tuple[str | int, ...]]:
    """Every instance path the reference reports, including errors nested in anyOf/oneOf context."""
    paths: set[tuple[str | int, ...]] = set()
    for error in errors:
        paths.add(tuple(error.absolute_path))
        paths |= reference_paths(error.context or ())
    return paths


def schema_at(name: str, pointer: str) -> Any:
    """The value at a `#/...` JSON pointer into the emitted schema file."""
    value: Any = schema_document(name)
    for escaped in pointer.removeprefix("#").split("/")[1:]:
        token = escaped.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def email_gap(name: str, compiled_errors: list[Any]) -> bool:
    """Whether every compiled error is one the reference cannot see: an email with an "@"."""
    return all(
        error.rule == "format"
        and schema_at(name, error.schema_path) == "email"
        and isinstance(error.value, str)
        and "@" in error.value
        for error in compiled_errors
    )


def compiled_verdict(name: str, instance: Any, module: ModuleType) -> tuple[Any, list[Any]]:
    """(first error raised by validate_<name> or None, every error of iter_errors_<name>)."""
    validate: Callable[[Any], None] = getattr(module, f"validate_{name}")
    iter_errors: Callable[[Any], Iterable[Any]] = getattr(module, f"iter_errors_{name}")
    first = None
    try:
        validate(instance)
    except module.ValidationError as error:
        first = error
    except Exception as error:  # any other exception is a crash: report it as the failure
        raise AssertionError(f"validate_{name} crashed: {error!r}") from error
    try:
        every = list(iter_errors(instance))
    except Exception as error:
        raise AssertionError(f"iter_errors_{name} crashed: {error!r}") from error
    assert (first is None) == (not every), f"validate and iter_errors disagree: {first!r} {every!r}"
    if first is not None:
        assert (first.path, first.schema_path) == (every[0].path, every[0].schema_path)
    return first, every


def assert_agreement(
    name: str, instance: Any, module: ModuleType = graph_invite.validators
) -> bool:
    """Same verdict as the reference, and the first error's path among the reference's paths.

    Returns whether the instance is valid.
    """
    first, every = compiled_verdict(name, instance, module)
    reference_errors = list(reference(name).iter_errors(instance))
    if first is not None and not reference_errors and email_gap(name, every):
        return False
    compiled = "valid" if first is None else f"invalid at {first.path}: {first.message}"
    expected = "valid" if not reference_errors else f"invalid: {reference_errors[0].message[:200]}"
    assert (first is None) == (
        not reference_errors
    ), f"verdicts differ for {name}: compiled {compiled}; reference {expected}"
    if first is not None:
        paths = reference_paths(reference_errors)
        assert (
            tuple(first.path) in paths
        ), f"first error path {first.path} ({first.message}) is not among the reference's {sorted(map(str, paths))}"
    return first is None


def run_property(
    strategy: st.SearchStrategy[Any], check: Callable[[Any], object], **overrides: Any
) -> None:
    """Run `check` on drawn examples under the active profile; raise the first failure found.

    No example database, so a deliberately broken validator leaves nothing behind to replay.
    `overrides` are further `settings` (the broken-emitter tests skip shrinking). The failing
    example is noted in full: schemathesis' pytest plugin blanks Hypothesis' own printout.
    """

    @settings(database=None, report_multiple_bugs=False, **overrides)
    @given(strategy)
    def property_holds(example: Any) -> None:
        note(f"example: {example!r}")
        check(example)

    property_holds()
