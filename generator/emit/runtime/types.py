"""Runtime types shared by the generated models: absent values, exact date-times, open enums,
and the record base classes of models and value objects."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeVar

if TYPE_CHECKING:
    from datetime import datetime

EnumT = TypeVar("EnumT", bound=enum.Enum)
RecordT = TypeVar("RecordT", bound="Record")

_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?"
)


class Unset(enum.Enum):
    """The type of `UNSET`: a property absent from the JSON, which is not the same as null."""

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


class DateTimeText(str):
    """A date-time kept exactly as the service wrote it (Graph: `Z`, seven fraction digits),
    readable as a datetime.

    Round-trips byte for byte: `to_dict()` writes back the original text. `to_datetime()` parses it;
    digits past the microsecond are truncated because `datetime` cannot hold them.
    """

    __slots__ = ()

    @classmethod
    def from_datetime(cls, value: datetime) -> DateTimeText:
        """An aware datetime in RFC 3339 form (`Z` for UTC); a naive datetime is refused."""
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a naive datetime has no UTC offset; RFC 3339 needs one")
        text = value.isoformat()
        return cls(text[:-6] + "Z" if text.endswith("+00:00") else text)

    def to_datetime(self) -> datetime:
        """The value as an aware datetime (naive only if the service sent no offset)."""
        from datetime import datetime, timedelta, timezone

        match = _DATE_TIME.fullmatch(self)
        if match is None:
            raise ValueError(f"not an RFC 3339 date-time: {str(self)[:40]!r}")
        year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
        micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
        zone: timezone | None = None
        if match.group(8):
            zone = timezone.utc
        elif match.group(9):
            offset = timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
            zone = timezone(-offset if match.group(9) == "-" else offset)
        # RFC 3339 allows a leap second; datetime does not, so 60 becomes the next minute.
        leap = second == 60
        parsed = datetime(year, month, day, hour, minute, 59 if leap else second, micro, zone)
        return parsed + timedelta(seconds=1) if leap else parsed


def open_enum(kind: type[EnumT], value: str) -> EnumT | str:
    """The enum member for a known value, or the string itself for a value the service added later."""
    try:
        return kind(value)
    except ValueError:
        return value


def enum_value(value: enum.Enum | str) -> str:
    """The wire string of a known member or of an unknown value kept as a string."""
    # `_value_` is the plain attribute behind the `value` property, read at a third of its cost.
    return str(value._value_) if isinstance(value, enum.Enum) else value


def validating(
    check: Callable[[Any], object], decode: Callable[[Any], Any] | None = None
) -> Callable[..., Any]:
    """A response parser for a body that is not one model (an array, a map, a union, a scalar):
    its compiled validator first when asked (raising `ValidationError`), then `decode`."""

    def parse(data: Any, validate: bool = True) -> Any:
        if validate:
            check(data)
        return data if decode is None else decode(data)

    return parse


def octets_as_text(data: Any) -> Any:
    """`data` with every bytes value read as Latin-1 text, one character per octet: what a
    `format: binary` string (a file part of a multipart body) is to its JSON Schema validator."""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).decode("latin-1")
    if isinstance(data, dict):
        return {key: octets_as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [octets_as_text(value) for value in data]
    return data


def json_value(value: Any) -> Any:
    """The JSON value of a model, an enum member, a list or dict of them, or plain JSON (as is)."""
    if isinstance(value, enum.Enum):
        return value._value_
    if value is None or isinstance(value, (str, int, float)):
        return value  # bool is an int; DateTimeText is a str holding its original text
    if isinstance(value, list):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    to_dict = getattr(value, "to_dict", None)  # a generated model
    return to_dict() if callable(to_dict) else value


class Record:
    """Base of the generated models: `repr` and `==` over the fields, like a dataclass.

    Models are plain classes with `__slots__` and a generated keyword-only `__init__` rather
    than dataclasses: importing `dataclasses` (it pulls in `inspect`) and building the classes
    took more than a third of `import graph_invite.client` (issue #6). `==` holds between
    instances of the same class with equal fields; instances are unhashable, as they are mutable.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _repr_hidden: ClassVar[frozenset[str]] = frozenset()  # never shown: secrets, large bodies

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in self._fields
            if name not in self._repr_hidden
        )
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass with eq

    def __reduce__(self) -> tuple[Callable[..., Record], tuple[Any, ...]]:
        # copy, deepcopy and pickle rebuild through the keyword `__init__`: in the compiled build
        # (mypyc) a model is a native class, which only its constructor builds.
        return rebuild_record, (type(self), {name: getattr(self, name) for name in self._fields})


def rebuild_record(cls: type[RecordT], fields: dict[str, Any]) -> RecordT:
    """The record `cls(**fields)`: what `Record.__reduce__` gives copy and pickle to call."""
    return cls(**fields)


class FrozenRecord(Record):
    """A `Record` whose fields cannot be reassigned after `__init__`; hashable by its fields.

    Subclasses take their fields positionally in `_fields` order (copies and pickles rely on it).
    """

    __slots__ = ()

    def _init(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__qualname__} is immutable: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__qualname__} is immutable: cannot delete {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]  # Record's is None (mutable)
        return hash(self._values())

    def __reduce__(self) -> tuple[type[FrozenRecord], tuple[Any, ...]]:
        # copy, deepcopy and pickle rebuild through `__init__` (fields in `_fields` order):
        # the default restores slots with setattr, which an immutable record refuses.
        return type(self), self._values()
