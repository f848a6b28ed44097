"""The floors every ratio is measured against: the least work any pure-Python consumer must do.

`floor_walk` visits every node of a parsed document and checks each scalar's type with
`isinstance`; a validator cannot check a document without at least reading it. `floor_rebuild` is
a recursive copy of the dicts and lists; a `to_dict` cannot produce a fresh document with less.
"""

from __future__ import annotations

from typing import Any

_SCALARS = (str, int, float, bool)


class NotJsonError(TypeError):
    """Raised by the floor walk on a value JSON cannot hold (so the walk has an observable result)."""


def floor_walk(node: object) -> None:
    """Visit every value; raise NotJsonError on a scalar that is not str, number, bool or null."""
    if isinstance(node, dict):
        for value in node.values():
            floor_walk(value)
    elif isinstance(node, list):
        for item in node:
            floor_walk(item)
    elif not isinstance(node, _SCALARS) and node is not None:
        raise NotJsonError(type(node).__name__)


def floor_rebuild(node: Any) -> Any:
    """A fresh copy of every dict and list; scalars are shared (they are immutable)."""
    if isinstance(node, dict):
        return {key: floor_rebuild(value) for key, value in node.items()}
    if isinstance(node, list):
        return [floor_rebuild(item) for item in node]
    return node
