"""Validation contenders: our compiled validators, jsonschema, fastjsonschema, jsonschema-rs, floor.

`compiled` is the same validator from the opt-in mypyc build (`bench/compiled.py`), timed only
when `make compiled` left one.

Every contender is a `Check`: payload -> verdict (True = valid). Peers run in their first-error
mode (`validate`, which raises the first error) like our `validate_<name>`; `ours-all` collects
every error with `list(iter_errors_<name>(...))`. Each check is run once on every payload before
timing; a verdict that disagrees with the corpus is reported, never silently timed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from graph_invite import validators
from graph_invite.validators import ValidationError

from bench import peers
from bench.compiled import load_compiled
from bench.corpus import Kind, Payload
from bench.draft7 import Draft7Unsupported, to_draft7
from bench.floor import floor_walk
from bench.timing import Contender

Check = Callable[[Any], bool]
KINDS: tuple[Kind, ...] = ("request", "response")
# Column order of the validation table.
NAMES = ("floor", "ours", "ours-all", "compiled", "jsonschema", "fastjsonschema", "jsonschema-rs")


@dataclass
class ValidationSetup:
    """The checks per payload kind, plus notes on peers that are missing or needed help."""

    checks: dict[Kind, dict[str, Check]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _floor(data: Any) -> bool:
    floor_walk(data)
    return True


def _ours(kind: Kind, module: ModuleType = validators) -> tuple[Check, Check]:
    """(first-error, all-errors) checks from graph_invite.validators (or the compiled build)."""
    validate = getattr(module, f"validate_{peers.schema_name(kind)}")
    iter_errors = getattr(module, f"iter_errors_{peers.schema_name(kind)}")
    error: type[ValidationError] = module.ValidationError

    def first_error(data: Any) -> bool:
        try:
            validate(data)
        except error:
            return False
        return True

    def all_errors(data: Any) -> bool:
        return not list(iter_errors(data))

    return first_error, all_errors


def _raising(validate: Callable[[Any], object], error: type[BaseException]) -> Check:
    """A check from a peer's validate(), which raises `error` on the first problem."""

    def check(data: Any) -> bool:
        try:
            validate(data)
        except error:
            return False
        return True

    return check


def _jsonschema(schema: dict[str, Any]) -> Check | None:
    module = peers.optional_module("jsonschema")
    if module is None:
        return None
    validator_class = module.Draft202012Validator
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return _raising(validator.validate, module.ValidationError)


def _fastjsonschema(schema: dict[str, Any], notes: list[str]) -> Check | None:
    module = peers.optional_module("fastjsonschema")
    if module is None:
        return None
    try:
        draft7 = to_draft7(schema)
    except Draft7Unsupported as unsupported:
        notes.append(f"fastjsonschema: not timed for {schema.get('title')}: {unsupported}")
        return None
    # use_default=False: validate only; by default fastjsonschema writes `default`s into the data.
    compiled = module.compile(draft7, use_default=False)
    return _raising(compiled, module.JsonSchemaValueException)


def _jsonschema_rs(schema: dict[str, Any]) -> Check | None:
    module = peers.optional_module("jsonschema_rs")
    if module is None:
        return None
    validator = module.Draft202012Validator(schema, validate_formats=True)
    return _raising(validator.validate, module.ValidationError)


def _peer_checks(schema: dict[str, Any], notes: list[str]) -> dict[str, Check | None]:
    return {
        "jsonschema": _jsonschema(schema),
        "fastjsonschema": _fastjsonschema(schema, notes),
        "jsonschema-rs": _jsonschema_rs(schema),
    }


def load_validation() -> ValidationSetup:
    """Build every check from our emitted schema files (`generated/schemas/*.schema.json`)."""
    setup = ValidationSetup()
    setup.notes.append(
        "fastjsonschema knows drafts 4/6/7 (2.22 also reads 2019 $schema URIs with its draft-7 "
        "code): it compiles a draft-7 form of our schemas ($defs -> definitions, $ref siblings "
        "-> allOf; any 2019+ keyword would stop it), with use_default=False"
    )
    build = load_compiled(setup.notes)
    for kind in KINDS:
        path = peers.SCHEMA_DIR / f"{peers.schema_name(kind)}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        first_error, all_errors = _ours(kind)
        checks: dict[str, Check | None] = {
            "floor": _floor,
            "ours": first_error,
            "ours-all": all_errors,
            "compiled": None if build is None else _ours(kind, build.validators)[0],
            **_peer_checks(schema, setup.notes),
        }
        setup.checks[kind] = {name: check for name, check in checks.items() if check is not None}
    missing = sorted(set(NAMES) - set(setup.checks["request"]))
    if missing:
        setup.notes.append(f"not installed, not timed: {', '.join(missing)}")
    return setup


def verdict_problems(payload: Payload, checks: dict[str, Check]) -> list[str]:
    """Contenders whose verdict on `payload` is wrong (the floor has no verdict)."""
    problems = []
    for name, check in checks.items():
        if name != "floor" and check(payload.data) != payload.valid:
            expected = "valid" if payload.valid else "invalid"
            problems.append(f"{name} does not find {payload.name} {expected}")
    return problems


def validation_contenders(payload: Payload, checks: dict[str, Check]) -> list[Contender]:
    """One contender per check, bound to the payload, in table order."""
    data = payload.data
    return [Contender(name, _bind(checks[name], data)) for name in NAMES if name in checks]


def _bind(check: Check, data: Any) -> Callable[[], object]:
    return lambda: check(data)
