"""The differential property has teeth: validators from a deliberately broken compiler fail it.

Each test compiles the spec's schema bundle with one keyword ignored, either by swapping the
keyword's handler in the compiler's dispatch table (`validator_dispatch.KEYWORD_HANDLERS`) for
one that emits nothing, or by deleting the keyword from the bundle, and runs the very helper
`test_differential.py` uses (`run_property` + `assert_agreement`) against the result, expecting
it to fail. Shrinking is skipped: a failure is all these tests need.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from hypothesis import Phase, settings

from generator.emit.validators import compile_validators
from generator.jsonschema import dispatch as validator_dispatch
from generator.pipeline import validator_entry_points
from tests.strategies_differential import assert_agreement, run_property
from tests.strategies_models import spec_api
from tests.strategies_mutation import mutated

WITHOUT_SHRINKING: dict[str, Any] = {"phases": [Phase.explicit, Phase.generate]}


def compile_module(bundle: dict[str, Any]) -> ModuleType:
    """Compile a bundle into a fresh validators module, as the pipeline would."""
    source = compile_validators(bundle, validator_entry_points(spec_api()), assert_formats=True)
    module = ModuleType("broken_validators")
    exec(compile(source, "<broken validators>", "exec"), module.__dict__)
    return module


def without_keyword(schema: Any, keyword: str) -> Any:
    """A copy of `schema` with `keyword` deleted wherever it is a keyword (not a property name)."""
    if isinstance(schema, list):
        return [without_keyword(item, keyword) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: (
            {name: without_keyword(item, keyword) for name, item in value.items()}
            if key in ("properties", "$defs")
            else without_keyword(value, keyword)
        )
        for key, value in schema.items()
        if key != keyword
    }


def differential_property(name: str, module: ModuleType, *, budget: int | None = None) -> None:
    """The mutated-instance differential property of `test_differential.py`, on `module`.

    `budget` raises the example count for broken modules: the run stops at the first failure, so a
    generous budget costs little and keeps the "is caught" tests from depending on luck.
    """
    overrides = dict(WITHOUT_SHRINKING)
    if budget is not None:
        overrides["max_examples"] = max(budget, settings().max_examples)
    run_property(mutated(name), lambda pair: assert_agreement(name, pair[0], module), **overrides)


def test_a_correctly_compiled_module_passes() -> None:
    differential_property("invite_request", compile_module(spec_api().schema_bundle))


# (keyword the broken compiler ignores, a schema whose mutations reach that keyword)
IGNORED = [
    ("maxLength", "invite_request"),
    ("minItems", "invite_request"),
    ("additionalProperties", "drive_recipient"),
    ("required", "odata_error"),
    ("anyOf", "drive_recipient"),
    ("enum", "permission_role"),
    ("format", "permission"),
    ("pattern", "inner_error"),
]


@pytest.mark.parametrize(("keyword", "name"), IGNORED)
def test_a_handler_that_emits_nothing_is_caught(
    keyword: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(validator_dispatch.KEYWORD_HANDLERS, keyword, lambda node, value: None)
    broken = compile_module(spec_api().schema_bundle)
    with pytest.raises(AssertionError, match=r"verdicts differ|first error path|crashed"):
        differential_property(name, broken, budget=1000)


def test_max_length_removed_from_the_bundle_is_caught() -> None:
    bundle = without_keyword(spec_api().schema_bundle, "maxLength")
    assert "maxLength" not in str(bundle)
    with pytest.raises(AssertionError, match="verdicts differ"):
        differential_property("invite_request", compile_module(bundle), budget=1000)
