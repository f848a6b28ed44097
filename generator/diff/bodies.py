"""Body comparison: request bodies and responses of one operation in two specs -> changes.

Responses that share a schema (every error status pointing at `odataError`) are walked once, with
all their status codes named, instead of once per status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diff.lifecycle import stability_of
from generator.diff.media_types import is_json, rename_media_types
from generator.diff.model import ChangeLog, code, new_spot, old_spot, plain
from generator.diff.operation_model import Operation, OperationPair
from generator.diff.schema import SchemaScope, compare_schemas
from generator.diff.schema_view import Node
from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

Located = tuple[dict[str, Any], str]
SchemaPairKey = tuple[str, str, str]


def media_schema(media: dict[str, Any], pointer: str) -> Node:
    """The schema of a media type object (`true`, any value, when it has none)."""
    return media.get("schema", True), join_pointer(pointer, "schema")


def _content(located: Located) -> dict[str, Located]:
    owner, pointer = located
    content = owner.get("content")
    if not isinstance(content, dict):
        return {}
    return {
        media_type: (media, join_pointer(pointer, "content", media_type))
        for media_type, media in content.items()
        if isinstance(media, dict)
    }


def _common_media_types(
    log: ChangeLog, pair: OperationPair, old: Located, new: Located, *, prefix: str, owner: str
) -> list[tuple[str, Node, Node]]:
    """Report media types only one side has; return (media type, old, new schema) for the rest."""
    old_content, new_content = _content(old), _content(new)
    if prefix == "response":
        renamed = rename_media_types(log, pair, old_content, new_content, owner)
        old_content = {renamed.get(name, name): media for name, media in old_content.items()}
    common = []
    for media_type in sorted(old_content.keys() | new_content.keys()):
        if media_type not in new_content:
            detail = f"{owner} media type {plain(media_type)} removed"
            spot = old_spot(old_content[media_type][1])
            log.add(f"{prefix}-media-type-removed", pair.label, detail, spot)
        elif media_type not in old_content:
            detail = f"{owner} media type {plain(media_type)} added"
            spot = new_spot(new_content[media_type][1])
            log.add(f"{prefix}-media-type-added", pair.label, detail, spot)
        elif _schema_presence(log, pair, media_type, old_content, new_content, prefix=prefix):
            old_schema = media_schema(*old_content[media_type])
            common.append((media_type, old_schema, media_schema(*new_content[media_type])))
    return common


def _schema_presence(
    log: ChangeLog,
    pair: OperationPair,
    media_type: str,
    old_content: dict[str, Located],
    new_content: dict[str, Located],
    *,
    prefix: str,
) -> bool:
    """Report a schema added to or removed from a media type; True when both have one."""
    old_media, new_media = old_content[media_type], new_content[media_type]
    before, after = "schema" in old_media[0], "schema" in new_media[0]
    if before == after:
        return before
    stem = "request-body" if prefix == "request-body" else "response-body"
    verb = "added" if after else "removed"
    spot = new_spot(new_media[1]) if after else old_spot(old_media[1])
    detail = f"schema {verb} for media type {plain(media_type)}"
    log.add(f"{stem}-media-type-schema-{verb}", pair.label, detail, spot)
    return False


def _request_body(spec: ResolvedSpec, operation: Operation) -> Located | None:
    if "requestBody" not in operation.data:
        return None
    pointer = join_pointer(operation.pointer, "requestBody")
    body, pointer = spec.deref(operation.data["requestBody"], pointer)
    return (body, pointer) if isinstance(body, dict) else None


def _required(located: Located) -> bool:
    return located[0].get("required") is True


def compare_request_body(log: ChangeLog, pair: OperationPair) -> None:
    """Request body added, removed, made required/optional; its media types and schemas."""
    old, new = _request_body(log.old, pair.old), _request_body(log.new, pair.new)
    if old is None or new is None:
        _compare_body_presence(log, pair, old, new)
        return
    if _required(old) != _required(new):
        became = "required" if _required(new) else "optional"
        detail = f"request body became {became}"
        spot = new_spot(join_pointer(new[1], "required"))
        log.add(f"request-body-became-{became}", pair.label, detail, spot)
    common = _common_media_types(log, pair, old, new, prefix="request-body", owner="request body")
    for media_type, old_schema, new_schema in common:
        scope = SchemaScope(
            "request",
            pair.label,
            "request body",
            context=plain(media_type),
            stability=stability_of(pair.new.data),
            loose=not is_json(media_type),
        )
        compare_schemas(log, scope, old_schema, new_schema)


def _compare_body_presence(
    log: ChangeLog, pair: OperationPair, old: Located | None, new: Located | None
) -> None:
    if new is not None:
        rule = "request-body-added-required" if _required(new) else "request-body-added-optional"
        detail = "request body added as required" if _required(new) else "request body added"
        log.add(rule, pair.label, detail, new_spot(new[1]))
    elif old is not None:
        log.add("request-body-removed", pair.label, "request body removed", old_spot(old[1]))


def _responses(spec: ResolvedSpec, operation: Operation) -> dict[str, Located]:
    responses = operation.data.get("responses")
    result: dict[str, Located] = {}
    for status, raw in responses.items() if isinstance(responses, dict) else ():
        response, pointer = spec.deref(raw, join_pointer(operation.pointer, "responses", status))
        if isinstance(response, dict):
            result[status] = (response, pointer)
    return result


@dataclass
class _SchemaGroup:
    """Statuses whose (media type, old schema, new schema) is the same pair."""

    old: Node
    new: Node
    statuses: list[str] = field(default_factory=list)


def compare_responses(log: ChangeLog, pair: OperationPair) -> None:
    """Status codes added or removed, headers, media types, and response schemas."""
    old, new = _responses(log.old, pair.old), _responses(log.new, pair.new)
    groups: dict[SchemaPairKey, _SchemaGroup] = {}
    for status in sorted(old.keys() | new.keys()):
        kind = "success" if _is_success(status) else "non-success"
        if status not in new:
            detail = f"{kind} status {plain(status)} removed"
            spot = old_spot(old[status][1])
            log.add(f"response-{kind}-status-removed", pair.label, detail, spot)
        elif status not in old:
            detail = f"{kind} status {plain(status)} added"
            log.add(f"response-{kind}-status-added", pair.label, detail, new_spot(new[status][1]))
        else:
            compare_headers(log, pair, status, old[status], new[status])
            owner = f"status {plain(status)}"
            common = _common_media_types(
                log, pair, old[status], new[status], prefix="response", owner=owner
            )
            for media_type, old_schema, new_schema in common:
                key = (media_type, log.old.deref(*old_schema)[1], log.new.deref(*new_schema)[1])
                groups.setdefault(key, _SchemaGroup(old_schema, new_schema)).statuses.append(status)
    for (media_type, _, _), group in sorted(groups.items()):
        noun = "responses" if len(group.statuses) > 1 else "response"
        statuses = ", ".join(plain(status) for status in group.statuses)
        context = f"{noun} {statuses}; {plain(media_type)}"
        scope = SchemaScope(
            "response",
            pair.label,
            "response body",
            context,
            stability=stability_of(pair.new.data),
            loose=not is_json(media_type),
        )
        compare_schemas(log, scope, group.old, group.new)


def _is_success(status: str) -> bool:
    return status.startswith("2")


def _headers(spec: ResolvedSpec, located: Located) -> dict[str, tuple[str, Located]]:
    """Response headers by lower-cased name (HTTP header names are case-insensitive)."""
    owner, pointer = located
    headers = owner.get("headers")
    result: dict[str, tuple[str, Located]] = {}
    for name, raw in headers.items() if isinstance(headers, dict) else ():
        header, header_pointer = spec.deref(raw, join_pointer(pointer, "headers", name))
        if isinstance(header, dict) and name.lower() != "content-type":
            result[name.lower()] = (name, (header, header_pointer))
    return result


def compare_headers(
    log: ChangeLog, pair: OperationPair, status: str, old: Located, new: Located
) -> None:
    """Response headers added, removed, made optional, and their schemas."""
    before, after = _headers(log.old, old), _headers(log.new, new)
    for key in sorted(before.keys() | after.keys()):
        name = code((after.get(key) or before[key])[0])
        subject = f"response header {name} (status {plain(status)})"
        if key not in after:
            header = before[key][1]
            required = header[0].get("required") is True
            rule = f"{'required' if required else 'optional'}-response-header-removed"
            log.add(rule, pair.label, f"{subject} removed", old_spot(header[1]))
        elif key not in before:
            log.add(
                "response-header-added", pair.label, f"{subject} added", new_spot(after[key][1][1])
            )
        else:
            _compare_header(log, pair, subject, before[key][1], after[key][1])


def _compare_header(
    log: ChangeLog, pair: OperationPair, subject: str, old: Located, new: Located
) -> None:
    if _required(old) and not _required(new):
        spot = new_spot(join_pointer(new[1], "required"))
        log.add("response-header-became-optional", pair.label, f"{subject} became optional", spot)
    scope = SchemaScope(
        "response", pair.label, subject, kind="header", stability=stability_of(pair.new.data)
    )
    compare_schemas(log, scope, header_schema(*old), header_schema(*new))


def header_schema(header: dict[str, Any], pointer: str) -> Node:
    """The schema of a header or parameter (`schema`, or the first `content` entry's)."""
    if "schema" in header:
        return header["schema"], join_pointer(pointer, "schema")
    content = header.get("content")
    if isinstance(content, dict) and content:
        media_type = sorted(content)[0]
        media = content[media_type]
        if isinstance(media, dict):
            return media_schema(media, join_pointer(pointer, "content", media_type))
    return True, join_pointer(pointer, "schema")
