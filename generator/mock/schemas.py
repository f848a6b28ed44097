"""The spec's JSON Schemas compiled to validators in memory, as the generator compiles them to disk."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, Protocol, cast

from generator.emit.validators import compile_validators
from generator.ir.model import Api
from generator.pipeline import validator_entry_points


class SchemaViolation(Protocol):
    """What a compiled validator's `ValidationError` carries."""

    message: str
    path: tuple[str | int, ...]
    rule: str


class CompiledSchemas:
    """`validate_<name>` / `iter_errors_<name>` for every schema file and model of the spec."""

    def __init__(self, api: Api) -> None:
        self.names = frozenset(name for name, _ in validator_entry_points(api))
        source = compile_validators(
            api.schema_bundle, validator_entry_points(api), assert_formats=True
        )
        self._namespace: dict[str, Any] = {"__name__": "invitegen_mock_validators"}
        # The source is our own compiler's output for the spec being served, compiled in memory
        # so the mock always checks against the spec it was started with, not a stale generated/.
        exec(compile(source, "<invitegen mock validators>", "exec"), self._namespace)  # noqa: S102
        self.validation_error = cast(type[Exception], self._namespace["ValidationError"])

    def errors(self, name: str, instance: object) -> list[SchemaViolation]:
        """Every violation of schema `name` by `instance`, in schema order (empty when valid)."""
        iterate = cast(
            Callable[[object], Iterator[SchemaViolation]], self._namespace[f"iter_errors_{name}"]
        )
        return list(iterate(instance))

    def is_valid(self, name: str, instance: object) -> bool:
        """Whether `instance` matches schema `name`."""
        validate = cast(Callable[[object], None], self._namespace[f"validate_{name}"])
        try:
            validate(instance)
        except self.validation_error:
            return False
        return True


def render_path(path: tuple[str | int, ...]) -> str:
    """('recipients', 0, 'email') -> 'recipients[0].email'; () -> '(root)'."""
    parts: list[str] = []
    for item in path:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item.isidentifier():
            parts.append(f".{item}" if parts else item)
        else:
            parts.append(f"[{json.dumps(item)}]")
    return "".join(parts) or "(root)"
