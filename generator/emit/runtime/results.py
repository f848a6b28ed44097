"""What an operation returns: the status code, the response headers and the parsed body."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from .types import FrozenRecord

BodyT = TypeVar("BodyT")


class Headers(Mapping[str, str]):
    """Response headers: read-only, case-insensitive, hashable; repeated headers comma-joined."""

    __slots__ = ("_items",)
    _items: tuple[tuple[str, str], ...]

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        merged: dict[str, tuple[str, str]] = {}
        for name, value in (items or {}).items():
            key = name.lower()
            merged[key] = (name, f"{merged[key][1]}, {value}" if key in merged else value)
        self._items = tuple(sorted(merged.values(), key=lambda item: item[0].lower()))

    def __getitem__(self, name: str) -> str:
        key = name.lower()
        for item_name, value in self._items:
            if item_name.lower() == key:
                return value
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._items == other._items
        return super().__eq__(other)

    def __repr__(self) -> str:
        return f"Headers({dict(self._items)!r})"

    def __reduce__(self) -> tuple[type[Headers], tuple[dict[str, str]]]:
        return type(self), (dict(self._items),)


class ApiResult(FrozenRecord, Generic[BodyT]):
    """A documented non-error answer: status code, parsed body (None when there is none), headers.

    `request_id` is the service's `request-id` header when it sends one. Generated operations
    return this class or a subclass named after the response (with helpers such as `.failed`).
    """

    __slots__ = ("body", "headers", "request_id", "status_code")
    _fields: ClassVar[tuple[str, ...]] = ("status_code", "body", "request_id", "headers")
    status_code: int
    body: BodyT
    request_id: str
    headers: Headers

    def __init__(
        self,
        status_code: int,
        body: BodyT,
        request_id: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            status_code=status_code,
            body=body,
            request_id=request_id,
            headers=headers if isinstance(headers, Headers) else Headers(headers),
        )


AnyResult = ApiResult[Any]
