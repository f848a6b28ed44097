"""Deferred format checks (`generator/validator_deferral.py`) never change a verdict or a first error.

The boolean walk of array items queues `email`, `date-time` and `uri` strings; `_all_hold` then
checks each queue with one regex call over the strings joined one per line. Here: `_all_hold`
against the helpers one by one (strings holding newlines, odd but valid strings, one bad string
among many); the generated validators on batches with a bad item, a newline, long addresses and
a structural error after a format error; and random schemas whose formats sit in every kind of
subschema, against jsonschema using the same format helpers.
"""

from __future__ import annotations

import json
import re
import types
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import graph_invite.validators as validators
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.emit.validators import compile_schema
from generator.jsonschema import formats
from generator.jsonschema.deferral import DEFERRAL_HELPERS
from generator.jsonschema.runtime import helper_closure, render_imports
from tests.strategies_differential import assert_agreement
from tests.test_compile_schema import errors_of, unused_names

REGISTRY = {**formats.FORMAT_HELPERS, **DEFERRAL_HELPERS}
LINES = {"email": "_EMAIL_LINES_PATTERN", "date-time": "_DATE_TIME_LINES_PATTERN"}
LINES["uri"] = "_URI_LINES_PATTERN"
CHECKS = {"email": "_is_email", "date-time": "_is_date_time", "uri": "_is_uri"}


def helpers_module() -> types.ModuleType:
    """The emitted format and batch helpers, executed as one module."""
    names = helper_closure({"_all_hold", *LINES.values(), *CHECKS.values()}, REGISTRY)
    imports = {spec for name in names for spec in REGISTRY[name].imports}
    source = "\n".join([*render_imports(imports), *(REGISTRY[name].source for name in names)])
    module = types.ModuleType("deferral_helpers")
    exec(compile(source, "<deferral helpers>", "exec"), module.__dict__)
    return module


HELPERS = helpers_module()


def all_hold(format_name: str, texts: list[str]) -> bool:
    """`_all_hold` over `texts` for one format."""
    lines = getattr(HELPERS, LINES[format_name])
    return bool(HELPERS._all_hold(texts, lines, getattr(HELPERS, CHECKS[format_name])))


def one_by_one(format_name: str, texts: list[str]) -> bool:
    """The format helper on each text alone."""
    return all(map(getattr(HELPERS, CHECKS[format_name]), texts))


# Strings around each format: everyday ones, valid ones the fast paths leave to the helpers,
# near misses, and some holding the "\n" that separates lines in a batch.
SAMPLES = {
    "email": [
        "user42@contoso.com",
        "first.last+tag@mail.contoso.com",
        '"john doe"@contoso.com',
        "o'brien@contoso.com",
        "user@my-company.example",
        "user@[192.168.0.1]",
        "user0.contoso.com",
        "user@@contoso.com",
        "user@localhost",
        "a@b.c\nd@e.f",
        "a@b.c\n",
        "\na@b.c",
        "",
        "\n",
        "x" * 64 + "@contoso.com",
        "x" * 65 + "@contoso.com",
        "a" * 21 + "." + "b" * 20 + "." + "c" * 20 + "@contoso.com",
        "a" * 21 + "." + "b" * 21 + "." + "c" * 21 + "@contoso.com",
        "a.b.c.d@contoso.com",
        "user@" + "d" * 62 + "." + "e" * 62 + "." + "f" * 62 + "." + "g" * 62,
        "user@" + "d" * 63 + ".com",
        "user@" + "d" * 64 + ".com",
        "user@a.b.c.d.e.com",
    ],
    "date-time": [
        "2026-07-15T14:00:00.1234567Z",
        "2024-02-29T00:00:00+01:00",
        "2016-12-31T23:59:60Z",
        "2023-02-29T00:00:00Z",
        "2026-07-15 14:00:00Z",
        "2026-07-15T14:00:00Z\n2026-07-15T14:00:00Z",
        "",
    ],
    "uri": [
        "https://contoso.sharepoint.com/sites/Marketing",
        "https://host/a%20b?q=%41#frag",
        "mailto:user@contoso.com",
        "urn:isbn:0451450523",
        "http://[::1]:80/",
        "//no-scheme",
        "http://bad host/",
        "https://a.example/\nhttps://b.example/",
        "",
    ],
}


def batches(format_name: str) -> st.SearchStrategy[list[str]]:
    """Lists of samples and near misses."""
    mutated = st.builds(
        lambda text, cut: text[:cut] + text[cut + 1 :],
        st.sampled_from(SAMPLES[format_name]),
        st.integers(0, 300),
    )
    texts = st.sampled_from(SAMPLES[format_name]) | mutated | st.text("a@.:/-\nT0Z", max_size=12)
    if format_name == "email":  # the batch's shape, at any length: RFC 5321's limits decide
        texts |= st.from_regex(formats._EMAIL_FAST, fullmatch=True)
    return st.lists(texts, max_size=12)


@pytest.mark.parametrize("format_name", sorted(SAMPLES))
@given(data=st.data())
def test_batch_verdict_is_the_helpers_verdict(format_name: str, data: st.DataObject) -> None:
    texts = data.draw(batches(format_name))
    assert all_hold(format_name, texts) == one_by_one(format_name, texts), texts


@pytest.mark.parametrize("format_name", sorted(SAMPLES))
def test_a_newline_inside_a_string_never_joins_two_valid_ones(format_name: str) -> None:
    valid = SAMPLES[format_name][0]
    assert all_hold(format_name, [valid, valid])
    assert not all_hold(format_name, [valid, f"{valid}\n{valid}", valid])
    assert not all_hold(format_name, [f"{valid}\n"])
    assert not all_hold(format_name, [valid, ""])


def test_the_batch_goes_on_after_a_string_the_fast_path_leaves_to_the_helper() -> None:
    odd = '"john doe"@contoso.com'  # valid, but not the fast path's shape
    many = [f"user{index}@contoso.com" for index in range(50)]
    assert all_hold("email", [*many[:10], odd, *many[10:], odd])
    assert not all_hold("email", [*many[:10], odd, *many[10:20], "user@@x.com", *many[20:]])
    assert not all_hold("email", [*many, odd, "user0.contoso.com"])


@given(
    st.sampled_from(
        [formats._EMAIL_FAST_BOUNDED, formats._DATE_TIME_FAST, formats._URI_FAST]
    ).flatmap(lambda pattern: st.tuples(st.just(pattern), st.from_regex(pattern, fullmatch=True)))
)
def test_fast_paths_never_match_a_newline(case: tuple[str, str]) -> None:
    pattern, text = case
    assert "\n" not in text
    for position in range(len(text) + 1):
        assert re.fullmatch(pattern, text[:position] + "\n" + text[position:]) is None


def copy(value: dict[str, Any]) -> dict[str, Any]:
    """A fresh parsed document, as a client holds it."""
    document: dict[str, Any] = json.loads(json.dumps(value))
    return document


def first_error(name: str, instance: Any) -> Any:
    """The error validate_<name> raises (None when valid); it must be iter_errors' first."""
    every = list(getattr(validators, f"iter_errors_{name}")(instance))
    try:
        getattr(validators, f"validate_{name}")(instance)
    except validators.ValidationError as error:
        assert every
        assert (error.path, error.schema_path, error.rule, error.message) == (
            every[0].path,
            every[0].schema_path,
            every[0].rule,
            every[0].message,
        )
        assert error.value is every[0].value
        assert_agreement(name, instance)
        return error
    assert not every, every
    assert assert_agreement(name, instance)
    return None


def recipients(size: int, **replaced: Any) -> dict[str, Any]:
    """An invite request with `size` e-mail recipients; `r<i>=` replaces recipient i."""
    body: dict[str, Any] = {"recipients": [], "roles": ["write"], "requireSignIn": True}
    body["recipients"] = [{"email": f"user{index}@contoso.com"} for index in range(size)]
    for key, recipient in replaced.items():
        body["recipients"][int(key[1:])] = recipient
    return copy(body)


def permissions(size: int) -> dict[str, Any]:
    """An invite response whose every permission has each formatted string of the spec."""
    permission = {
        "id": "p",
        "roles": ["read"],
        "expirationDateTime": "2026-07-15T14:00:00.1234567Z",
        "link": {"type": "view", "webUrl": "https://contoso-my.sharepoint.com/:w:/g/Eb"},
        "inheritedFrom": {"sharepointIds": {"siteUrl": "https://contoso.sharepoint.com/s"}},
        "error": {"code": "notAllowed", "fixItUrl": "http://g.live.com/VerifyAccount?n=1"},
    }
    return copy({"value": [permission] * size})


@pytest.mark.parametrize("index", [0, 1, 57, 99])
def test_two_addresses_in_one_string_are_rejected_where_they_are(index: int) -> None:
    joined = "user1@contoso.com\nuser2@contoso.com"
    error = first_error("invite_request", recipients(100, **{f"r{index}": {"email": joined}}))
    assert error is not None and error.path == ("recipients", index, "email")
    assert error.rule == "format"


def test_long_addresses_in_a_batch_get_the_full_check() -> None:
    valid = "a" * 60 + "@" + "b" * 60 + ".contoso.com"  # longer than 64, within every limit
    assert first_error("invite_request", recipients(20, r3={"email": valid})) is None
    local = "a" * 65 + "@contoso.com"  # the fast path's shape, but a local part over 64
    error = first_error("invite_request", recipients(20, r3={"email": valid}, r9={"email": local}))
    assert error is not None and error.path == ("recipients", 9, "email")


def test_one_bad_address_among_many_valid_ones_is_reported_at_its_path() -> None:
    odd = {"email": '"john doe"@contoso.com'}
    for bad in ("user57@@contoso.com", "user57.contoso.com", "user57@contoso", ""):
        instance = recipients(100, r10=odd, r57={"email": bad}, r80=odd)
        error = first_error("invite_request", instance)
        assert error is not None and error.path == ("recipients", 57, "email"), bad
        assert error.value == bad


def test_a_format_error_before_a_structural_one_is_the_first_error() -> None:
    later = {"r5": {"email": "user5.contoso.com"}, "r9": {"email": 5}}
    error = first_error("invite_request", recipients(30, **later))
    assert error is not None and (error.path, error.rule) == (("recipients", 5, "email"), "format")
    later = {"r5": {"email": "user5.contoso.com", "alias": 7}}  # format, then type, in one item
    error = first_error("invite_request", recipients(30, **later))
    assert error is not None and (error.path, error.rule) == (("recipients", 5, "email"), "format")
    later = {"r5": {"email": 5}, "r9": {"email": "user9.contoso.com"}}  # the other way round
    error = first_error("invite_request", recipients(30, **later))
    assert error is not None and (error.path, error.rule) == (("recipients", 5, "email"), "type")


def test_response_formats_deferred_through_any_of_report_the_first_error() -> None:
    body = permissions(40)
    assert first_error("invite_response", body) is None
    # expirationDateTime is checked in place of each permission; link.webUrl and
    # inheritedFrom.sharepointIds.siteUrl sit in the last branch of an anyOf with null.
    broken = copy(body)
    broken["value"][13]["link"]["webUrl"] = "not a uri"
    broken["value"][21]["roles"] = "write"
    error = first_error("invite_response", broken)
    assert error is not None and (error.path, error.rule) == (("value", 13, "link"), "anyOf")
    broken = copy(body)
    broken["value"][6]["inheritedFrom"]["sharepointIds"]["siteUrl"] = "https://a b/"
    broken["value"][9]["expirationDateTime"] = "2026-07-15T14:00:00.1234567"
    error = first_error("invite_response", broken)
    assert error is not None and error.path == ("value", 6, "inheritedFrom")
    broken = copy(body)
    broken["value"][9]["expirationDateTime"] = "2026-07-15T14:00:00.1234567"
    broken["value"][12]["error"]["fixItUrl"] = "http://g.live.com/\nhttp://g.live.com/"
    error = first_error("invite_response", broken)
    assert error is not None and (error.path, error.rule) == (
        ("value", 9, "expirationDateTime"),
        "format",
    )


def test_validating_from_many_threads_shares_no_queue() -> None:
    valid = recipients(50)
    invalid = recipients(50, r30={"email": "user30.contoso.com"})

    def outcome(index: int) -> tuple[Any, ...] | None:
        try:
            validators.validate_invite_request(invalid if index % 2 else valid)
        except validators.ValidationError as error:
            return error.path
        return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(outcome, range(400)))
    assert results == [("recipients", 30, "email") if index % 2 else None for index in range(400)]


# Random schemas: an array of a `$ref` (the first-error walk maps the boolean one over items),
# formats anywhere below it, against jsonschema with the compiled helpers as its format checks.
FORMAT_NAMES = st.sampled_from(sorted(SAMPLES))


def _subschemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    keyword = st.one_of(
        st.fixed_dictionaries({"format": FORMAT_NAMES}),
        st.fixed_dictionaries({"type": st.sampled_from(["string", "object", "array", "null"])}),
        st.fixed_dictionaries({"properties": st.fixed_dictionaries({"a": children})}),
        st.fixed_dictionaries({"items": children}),
        st.fixed_dictionaries({"anyOf": st.lists(children, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"oneOf": st.lists(children, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"allOf": st.lists(children, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"not": children}),
        st.fixed_dictionaries({"if": children, "then": children, "else": children}),
        st.fixed_dictionaries({"contains": children}),
        st.fixed_dictionaries({"propertyNames": children}),
        st.fixed_dictionaries({"dependentSchemas": st.fixed_dictionaries({"a": children})}),
        st.just({"$ref": "#/$defs/leaf"}),
    )
    return st.lists(keyword, min_size=1, max_size=3).map(
        lambda parts: {name: value for part in parts for name, value in part.items()}
    )


ITEM_SCHEMAS = st.recursive(
    st.just({}) | st.fixed_dictionaries({"format": FORMAT_NAMES}), _subschemas, max_leaves=5
)
STRINGS = st.sampled_from([text for texts in SAMPLES.values() for text in texts] + ["a"])
INSTANCES = st.recursive(
    STRINGS | st.none() | st.integers(0, 2),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b"]) | STRINGS, children, max_size=2),
    max_leaves=8,
)


@cache
def reference_checker() -> jsonschema.FormatChecker:
    """jsonschema's format checks replaced by the compiled helpers (only structure is tested)."""
    checker = jsonschema.FormatChecker(formats=())
    for name, helper in CHECKS.items():
        function = getattr(HELPERS, helper)
        checker.checks(name)(
            lambda value, function=function: not isinstance(value, str) or function(value)
        )
    return checker


@cache
def compiled_module(schema_json: str) -> types.ModuleType:
    source = compile_schema(json.loads(schema_json), assert_formats=True)
    # An anyOf with an always-true branch may leave a format helper unused (it was so before
    # deferral); the batch's own helpers must never be.
    unused = unused_names(source) & {"_all_hold", *LINES.values()}
    assert not unused, f"unused: {unused}\n{source}"
    module = types.ModuleType("deferred_formats")
    exec(compile(source, "<deferred formats>", "exec"), module.__dict__)
    return module


@given(
    item=ITEM_SCHEMAS,
    leaf=st.fixed_dictionaries({"format": FORMAT_NAMES}),
    items=st.lists(INSTANCES, min_size=2, max_size=6),
)
def test_random_schemas_with_deferred_formats_agree_with_jsonschema(
    item: Any, leaf: Any, items: list[Any]
) -> None:
    schema = {"type": "array", "items": {"$ref": "#/$defs/item"}}
    schema["$defs"] = {"item": item, "leaf": leaf}
    module = compiled_module(json.dumps(schema, sort_keys=True))
    validator = jsonschema.Draft202012Validator(schema, format_checker=reference_checker())
    for instance in (items, items[::-1], [items[0], *items]):
        errors = errors_of(module, instance)  # validate's error is iter_errors' first, exactly
        assert (not errors) == validator.is_valid(instance), (schema, instance, errors)


def test_formats_whose_verdict_is_consumed_are_never_deferred() -> None:
    # A queued string that fails sends the items through the first-error walk, so a misplaced
    # deferral cannot change a verdict; but inside `not` (or any branch whose verdict is used)
    # it would send valid instances there too. Only the anyOf's last branch may defer.
    for keyword, schema, defers in [
        ("not", {"not": {"format": "email"}}, False),
        ("oneOf", {"oneOf": [{"format": "email"}, {"type": "string", "maxLength": 1}]}, False),
        ("anyOf first", {"anyOf": [{"format": "email"}, {"type": "integer"}]}, False),
        ("anyOf last", {"anyOf": [{"type": "integer"}, {"format": "email", "minLength": 1}]}, True),
        ("if", {"if": {"format": "email"}, "then": {"maxLength": 3}}, False),
        ("then", {"if": {"maxLength": 30}, "then": {"format": "email"}}, True),
        ("contains", {"type": "array", "contains": {"format": "email"}}, False),
    ]:
        bundle = {"items": {"$ref": "#/$defs/x"}, "$defs": {"x": schema}}
        source = compile_schema(bundle, assert_formats=True)
        assert ("pending" in source) == defers, (keyword, source)
        module = compiled_module(json.dumps(bundle, sort_keys=True))
        validator = jsonschema.Draft202012Validator(
            {"items": schema}, format_checker=reference_checker()
        )
        for value in ("user@contoso.com", "user.contoso.com", "a", ["a@b.c"], ["a"], 5):
            instance = ["first", value, value]
            errors = errors_of(module, instance)
            assert (not errors) == validator.is_valid(instance), (keyword, value, errors)


def test_a_long_chain_of_references_to_a_format_compiles_and_defers() -> None:
    # Which functions take queues is closed over calls within one compile pass, so the depth of
    # the chain costs no extra pass (there are at most 8).
    depth = 12
    definitions: dict[str, Any] = {
        f"d{level}": {"properties": {"next": {"$ref": f"#/$defs/d{level + 1}"}}}
        for level in range(depth)
    }
    definitions[f"d{depth}"] = {"format": "email"}
    schema = {"items": {"$ref": "#/$defs/d0"}, "$defs": definitions}
    source = compile_schema(schema, assert_formats=True)
    assert "_all_hold(" in source and f"_is_valid_d{depth - 1}(value_1, pending)" in source

    def nested(text: str) -> Any:
        value: Any = text
        for _ in range(depth):
            value = {"next": value}
        return value

    module = compiled_module(json.dumps(schema, sort_keys=True))
    good, bad = nested("user@contoso.com"), nested("user.contoso.com")
    assert errors_of(module, [good, good, good]) == []
    errors = errors_of(module, [good, good, bad, good])
    assert errors[0].path == (2, *["next"] * depth)
