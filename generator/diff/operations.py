"""Operation comparison: the operations of two specs -> changes to operations and parameters.
Bodies and responses are compared in `diff_bodies.py`, security and servers in `diff_access.py`.

Operations are matched by method and path template with parameter names blanked
(`/items/{item-id}` matches `/items/{itemId}`), so renaming a path parameter is reported as a rename
rather than as one operation removed and another added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.diff.access import compare_security, compare_servers
from generator.diff.bodies import Located, compare_request_body, compare_responses, media_schema
from generator.diff.model import ChangeLog, code, new_spot, old_spot
from generator.diff.operation_model import (
    TEMPLATE_PARAMETER,
    Operation,
    OperationPair,
    operations_of,
    path_keys,
)
from generator.diff.schema import SchemaScope, compare_schemas
from generator.diff.schema_view import Node
from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

ParameterKey = tuple[str, str]


def compare_operation_id(log: ChangeLog, pair: OperationPair) -> None:
    """operationId renamed: the generated method name changes."""
    before, after = pair.old.data.get("operationId"), pair.new.data.get("operationId")
    if before == after:
        return
    detail = (
        f"operationId changed from {code(str(before))} to {code(str(after))}; "
        "the generated client method is renamed"
    )
    log.add("api-operation-id-updated", pair.label, detail, new_spot(pair.new.pointer))


def compare_deprecation(log: ChangeLog, pair: OperationPair) -> None:
    """`deprecated: true` set or cleared."""
    before, after = pair.old.data.get("deprecated") is True, pair.new.data.get("deprecated") is True
    if before != after:
        rule, detail = (
            ("api-deprecated", "deprecated")
            if after
            else ("api-reactivated", "no longer deprecated")
        )
        log.add(rule, pair.label, f"operation {detail}", new_spot(pair.new.pointer))


def _path_renames(pair: OperationPair) -> dict[str, str]:
    before = TEMPLATE_PARAMETER.findall(pair.old.path)
    after = TEMPLATE_PARAMETER.findall(pair.new.path)
    return {old: new for old, new in zip(before, after, strict=False) if old != new}


def _parameters(spec: ResolvedSpec, operation: Operation) -> dict[ParameterKey, Located]:
    """Path-item parameters overridden by operation parameters, by (in, name)."""
    result: dict[ParameterKey, Located] = {}
    for owner, owner_pointer in (
        (operation.path_item, operation.path_pointer),
        (operation.data, operation.pointer),
    ):
        listed = owner.get("parameters")
        for index, raw in enumerate(listed if isinstance(listed, list) else ()):
            parameter, pointer = spec.deref(raw, join_pointer(owner_pointer, "parameters", index))
            if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                result[(str(parameter.get("in")), parameter["name"])] = (parameter, pointer)
    return result


def _parameter_schema(parameter: dict[str, Any], pointer: str) -> Node:
    if "schema" in parameter:
        return parameter["schema"], join_pointer(pointer, "schema")
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        media_type = sorted(content)[0]
        return media_schema(content[media_type], join_pointer(pointer, "content", media_type))
    return True, join_pointer(pointer, "schema")


def compare_parameters(log: ChangeLog, pair: OperationPair) -> None:
    """Parameters renamed (path), added, removed, made required or optional, or schemas changed."""
    renames = _path_renames(pair)
    for before, after in sorted(renames.items()):
        detail = (
            f"path parameter {code(before)} renamed to {code(after)}; "
            "the generated argument is renamed"
        )
        log.add(
            "request-path-parameter-renamed", pair.label, detail, new_spot(pair.new.path_pointer)
        )
    old_parameters = {
        (location, renames.get(name, name) if location == "path" else name): value
        for (location, name), value in _parameters(log.old, pair.old).items()
    }
    new_parameters = _parameters(log.new, pair.new)
    for key in sorted(old_parameters.keys() | new_parameters.keys()):
        _compare_parameter(log, pair, key, old_parameters.get(key), new_parameters.get(key))


def _compare_parameter(
    log: ChangeLog, pair: OperationPair, key: ParameterKey, old: Located | None, new: Located | None
) -> None:
    subject = f"{key[0]} parameter {code(key[1])}"
    if new is None and old is not None:
        log.add("request-parameter-removed", pair.label, f"{subject} removed", old_spot(old[1]))
        return
    if new is None:
        return
    required = new[0].get("required") is True
    if old is None:
        rule = "request-parameter-added-required" if required else "request-parameter-added"
        log.add(
            rule,
            pair.label,
            f"{subject} added{' as required' if required else ''}",
            new_spot(new[1]),
        )
        return
    if (old[0].get("required") is True) != required:
        became = "required" if required else "optional"
        log.add(
            f"request-parameter-became-{became}",
            pair.label,
            f"{subject} became {became}",
            new_spot(new[1]),
        )
    scope = SchemaScope("request", pair.label, subject, parameter=True)
    compare_schemas(log, scope, _parameter_schema(*old), _parameter_schema(*new))


OPERATION_COMPARERS: tuple[Callable[[ChangeLog, OperationPair], None], ...] = (
    compare_operation_id,
    compare_deprecation,
    compare_parameters,
    compare_request_body,
    compare_responses,
    compare_security,
    compare_servers,
)


def compare_operations(log: ChangeLog) -> None:
    """Every operation of either spec: added, removed, or compared by every comparer."""
    old_operations, new_operations = operations_of(log.old), operations_of(log.new)
    new_paths = path_keys(log.new)
    for key in sorted(old_operations.keys() | new_operations.keys()):
        old, new = old_operations.get(key), new_operations.get(key)
        if new is None and old is not None:
            _report_removed(log, old, path_removed=key[0] not in new_paths)
        elif old is None and new is not None:
            log.add("endpoint-added", new.label, "operation added", new_spot(new.pointer))
        elif old is not None and new is not None:
            pair = OperationPair(old, new)
            for comparer in OPERATION_COMPARERS:
                comparer(log, pair)


def _report_removed(log: ChangeLog, old: Operation, *, path_removed: bool) -> None:
    """`api-path-removed-*` when the whole path went, `api-removed-*` for one method of it."""
    deprecated = old.data.get("deprecated") is True
    stem = "api-path-removed" if path_removed else "api-removed"
    rule = f"{stem}-with-deprecation" if deprecated else f"{stem}-without-deprecation"
    what = "path and operation" if path_removed else "operation"
    status = "deprecated " if deprecated else ""
    detail = f"{status}{what} removed" + ("" if deprecated else " without deprecation")
    log.add(rule, old.label, detail, old_spot(old.pointer))
