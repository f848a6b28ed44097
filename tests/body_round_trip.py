"""Round trips of every JSON request and response body of a generated package: payloads drawn by
the package's own strategies are decoded with the expression the generated code uses for that
body (`TypeRef.decode_nullable`), encoded back (`encode_nullable`) and compared both ways."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.emit.strategies import strategy_function_names
from generator.ir.model import Api, TypeRef


def json_bodies(api: Api) -> Iterator[tuple[str, TypeRef, str]]:
    """(label, type, `$defs` key) of every JSON body some operation sends or receives."""
    for operation in api.operations:
        bodies = [("request", operation.body)]
        bodies += [(response.status, response.body) for response in operation.responses]
        for label, body in bodies:
            if body is not None and body.kind == "json" and body.bundle_key:
                yield f"{operation.operation_id} {label}", body.type, body.bundle_key


def codec(
    type_ref: TypeRef, namespace: dict[str, Any]
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(decode, encode) functions made of the generated expressions for this type."""
    decode = eval(f"lambda data: {type_ref.decode_nullable('data')}", namespace)
    encode = eval(f"lambda value: {type_ref.encode_nullable('value')}", namespace)
    return decode, encode


def check_bodies_round_trip(
    api: Api, package: str, import_module: Callable[[str], ModuleType], examples: int
) -> int:
    """Draw every body `examples` times and check both round trips; the number of bodies."""
    models = import_module(f"{package}.models")
    types = import_module(f"{package}.types")
    strategies = import_module(f"{package}.strategies")
    namespace = {**vars(types), **vars(models)}
    names = strategy_function_names(api)
    cases = [
        (label, *codec(type_ref, namespace), getattr(strategies, names[key]))
        for label, type_ref, key in json_bodies(api)
        if key in names
    ]

    # One run per body: drawing every body of a large spec in each example overran Hypothesis'
    # buffer, so most examples were thrown away (sendgrid's SSO spec took minutes, not seconds).
    for label, decode, encode, strategy in cases:
        if not strategy().is_empty:  # a schema no instance fits (its docstring says why)
            round_trip_one(label, decode, encode, strategy(), examples)
    return len(cases)


def round_trip_one(
    label: str,
    decode: Callable[[Any], Any],
    encode: Callable[[Any], Any],
    strategy: st.SearchStrategy[Any],
    examples: int,
) -> None:
    """Both round trips of one body for `examples` draws."""

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(payload=strategy)
    def round_trip(payload: Any) -> None:
        value = decode(payload)
        assert encode(value) == payload, label
        assert decode(encode(value)) == value, label

    round_trip()
