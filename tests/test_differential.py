"""Differential properties: the compiled validators (`graph_invite.validators`) and the reference,
`jsonschema.Draft202012Validator` on the emitted `generated/schemas/*.schema.json`, give the same
verdict, and the compiled first error's path is one the reference reports.

Instances: valid ones from the generated strategies, mutated ones (one constraint broken at a
random depth, `tests/strategies_mutation.py`), and arbitrary JSON (whole, or grafted into a
valid instance). See `tests/strategies_differential.py` for the one allowed disagreement (email).
"""

from __future__ import annotations

from typing import Any

import graph_invite.strategies as strategies
import graph_invite.validators as validators
import pytest
from graph_invite import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from tests.strategies_differential import assert_agreement, email_gap, reference, run_property
from tests.strategies_models import model_classes
from tests.strategies_mutation import json_values, mutated, schema_document, with_arbitrary_subtree

NAMES = sorted(strategies.__all__)
MODELS = model_classes()
# Mutations and grafted JSON reach every nested component from these at a drawn depth, and a
# nested component is checked by the same compiled function as its own entry point; running
# them from each of the 22 schemas again would double the suite's time for little more.
BODIES = ["invite_request", "invite_response", "odata_error", "permission", "drive_recipient"]


def formats_used(schema: Any) -> set[str]:
    """Every `format` value in a schema document."""
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(formats_used(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(formats_used(value) for value in schema))
    return set()


def test_reference_checks_the_formats_the_spec_uses() -> None:
    used = set().union(*(formats_used(schema_document(name)) for name in NAMES))
    assert used == {"date-time", "email", "uri"}
    # date-time needs rfc3339-validator and uri rfc3986-validator (requirements-dev.txt).
    assert used <= set(Draft202012Validator.FORMAT_CHECKER.checkers)


def test_the_known_format_differences_are_the_documented_ones() -> None:
    # email: the reference only wants an "@"; the compiled check also wants a dotted domain.
    recipient = {"email": "ryan@localhost"}
    assert reference("drive_recipient").is_valid(recipient)
    errors = list(validators.iter_errors_drive_recipient(recipient))
    assert errors and email_gap("drive_recipient", errors)
    # date-time: RFC 3339 allows year 0000 and a leap second at 23:59:60Z; rfc3339-validator
    # rejects both, so the strategies never draw them and no mutation produces them.
    for moment in ("0000-01-01T00:00:00Z", "2016-12-31T23:59:60Z"):
        permission = {"expirationDateTime": moment}
        validators.validate_permission(permission)
        assert not reference("permission").is_valid(permission)


@pytest.mark.parametrize("name", NAMES)
def test_valid_instances_are_valid_for_both(name: str) -> None:
    def check(instance: Any) -> None:
        assert assert_agreement(name, instance), "a drawn instance must be valid"

    run_property(getattr(strategies, name)(), check)


@pytest.mark.parametrize("name", BODIES)
def test_mutated_instances_get_the_same_verdict(name: str) -> None:
    run_property(mutated(name), lambda pair: assert_agreement(name, pair[0]))


def parses(name: str, instance: Any) -> bool:
    """Whether `from_dict` accepts the instance; anything but a clean ValidationError propagates."""
    try:
        MODELS[name].from_dict(instance)
    except ValidationError:
        return False
    return True


def check_arbitrary(name: str, instance: Any) -> None:
    """No crash, the reference's verdict, and `from_dict` accepting exactly the valid instances."""
    valid = assert_agreement(name, instance)
    if name in MODELS:
        assert parses(name, instance) == valid


def test_arbitrary_json_never_crashes_any_validator_or_model() -> None:
    def check(instance: Any) -> None:
        for name in NAMES:
            check_arbitrary(name, instance)

    run_property(json_values(max_leaves=20), check)


@pytest.mark.parametrize("name", BODIES)
def test_json_grafted_into_a_valid_instance_gets_the_same_verdict(name: str) -> None:
    run_property(with_arbitrary_subtree(name), lambda instance: check_arbitrary(name, instance))


def test_uri_ip_literals_get_the_reference_verdict() -> None:
    link = {"webUrl": "https://[5..8.2]/item"}
    assert not reference("sharing_link").is_valid(link)
    assert_agreement("sharing_link", link)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.ip_addresses(v=6).map(str),
        st.ip_addresses(v=6).map(lambda address: address.exploded),
        st.text(alphabet="0123456789abcdefABCDEF:.v", max_size=45),
    )
)
def test_uri_ip_literals_agree_with_the_reference(literal: str) -> None:
    """Strategies and mutations never draw IP literals: here they are drawn on purpose."""
    assert_agreement("sharing_link", {"webUrl": f"https://[{literal}]:443/item?x=1"})
