"""The Graph layer: Microsoft Graph's sharing behaviour on top of the spec-driven core.

Operations are recognised by path shape and method, whatever their operationId (`SHAPES`):
`POST .../invite`, `POST .../createLink`, `GET .../permissions`, `GET|PATCH|DELETE
.../permissions/{id}` and `POST /shares/{id}/permission/grant`. The layer serves whichever of them
the spec holds, statefully (`graph_state.PermissionStore`); any other operation of the spec is
answered by the core. Paths are also accepted as Graph spells them (`aliases`): qualified action
names (`.../microsoft.graph.invite`), path-based addressing (`/drives/{d}/root:/{path}:/invite`)
and a drive's `root` as an item (`/v1.0/me/drive/root/invite`). Answers carry Graph's content type
and `@odata.context`; errors are Graph's `{"error": {..., "innerError": {...}}}`.
The rules, in one place for users, are in README.md, "The mock".
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from generator.mock.exchange import Exchange, LayerState, Reply, Served
from generator.mock.graph_permissions import (
    Invitation,
    granted_permission,
    invite_response,
    link_permission,
)
from generator.mock.graph_state import ITEM_SEGMENT_SAFE, PermissionStore, normalise_item
from generator.mock.operations import MockApi, MockOperation
from generator.vocabulary import GRAPH_HOSTS

GRAPH_HOST = "graph.microsoft.com"
GRAPH_ROOT = f"https://{GRAPH_HOST}"
GRAPH_CONTENT_TYPE = (
    "application/json;odata.metadata=minimal;odata.streaming=true;"
    "IEEE754Compatible=false;charset=utf-8"
)
QUALIFIER = "microsoft.graph."
ACTIONS = frozenset({"invite", "createLink", "grant"})
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
# Path-based addressing: `root:/folder/a.docx:` then, optionally, the rest of the path.
_PATH_ADDRESS = re.compile(r"/root:/(?P<path>[^:]+):(?P<rest>/.*)?$")
# Segments that name a collection, whose next segment is a key (for `@odata.context`).
_COLLECTIONS = frozenset(
    {
        "drives",
        "items",
        "groups",
        "sites",
        "users",
        "shares",
        "special",
        "following",
        "children",
        "workbooks",
        "followedSites",
        "permissions",
    }
)


@dataclass(frozen=True)
class Shape:
    """A Graph operation recognised by method and the last segments of its path (None: a parameter)."""

    method: str
    tail: tuple[str | None, ...]
    kind: str


SHAPES = (
    Shape("POST", ("invite",), "invite"),
    Shape("POST", ("createLink",), "create_link"),
    Shape("GET", ("permissions",), "list"),
    Shape("GET", ("permissions", None), "get"),
    Shape("PATCH", ("permissions", None), "update"),
    Shape("DELETE", ("permissions", None), "delete"),
    Shape("POST", ("permission", "grant"), "grant"),
)


def classify(operation: MockOperation) -> Shape | None:
    """The Graph shape an operation has, if any."""
    segments = [_unqualified(segment) for segment in operation.path.split("/")]
    for shape in SHAPES:
        if shape.method != operation.method or len(segments) <= len(shape.tail):
            continue
        tail = segments[-len(shape.tail) :]
        if all(
            _VARIABLE.fullmatch(segment) if wanted is None else segment == wanted
            for wanted, segment in zip(shape.tail, tail, strict=True)
        ):
            return shape
    return None


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_graph_spec(api: MockApi) -> bool:
    """Whether the spec describes Microsoft Graph, as the generator decides it: the document's
    `x-invitegen: {graph: true|false}` when present, else a server on a Graph host."""
    data = api.resolved.data
    settings = data.get("x-invitegen")
    if isinstance(settings, dict) and isinstance(settings.get("graph"), bool):
        return bool(settings["graph"])
    servers = list(data.get("servers") or [])
    for item in (data.get("paths") or {}).values():
        if isinstance(item, dict):
            servers += item.get("servers") or []
            servers += [
                s for op in item.values() if isinstance(op, dict) for s in op.get("servers") or []
            ]
    return any(
        isinstance(server, dict) and _host(str(server.get("url", ""))) in GRAPH_HOSTS
        for server in servers
    )


def permission_checker(api: MockApi) -> Callable[[dict[str, Any]], str | None]:
    """A check for `--state` permissions: the spec's `permission` schema, when it has one."""
    entry = api.schemas.entry_for("#/components/schemas/permission")

    def check(permission: dict[str, Any]) -> str | None:
        if entry is None:
            return None
        violations = api.schemas.errors(entry, permission)
        return f"not a permission: {violations[0].message}" if violations else None

    return check


def _unqualified(segment: str) -> str:
    name = segment.removeprefix(QUALIFIER)
    return name if name in ACTIONS else segment


class GraphLayer:
    """Graph's addressing, state, answers and error shapes for the operations it recognises."""

    name = "graph"
    error_media_type = "application/json"  # `finish` gives every body Graph's content type

    def __init__(
        self, api: MockApi, fixtures: dict[str, list[dict[str, Any]]] | None = None
    ) -> None:
        self.api = api
        self.fixtures = fixtures or {}
        self.shapes = {op.pointer: shape for op in api.operations if (shape := classify(op))}

    def new_state(self) -> LayerState:
        """An empty permission store (or the `--state` fixtures)."""
        return PermissionStore(self.fixtures)

    def aliases(self, raw_path: str) -> list[str]:
        """Graph's other spellings of a path, most literal first."""
        candidates = [raw_path]
        for spell in (
            _unqualify_action,
            _qualify_action,
            _path_address_as_segment,
            _path_address_as_item,
            _root_as_item,
        ):
            candidates += [
                spelled for c in candidates if (spelled := spell(c)) and spelled not in candidates
            ]
        return candidates[1:]

    def answer(self, service: Served, exchange: Exchange, state: LayerState) -> Reply | None:
        """The stateful answer for a recognised operation; None for any other."""
        assert exchange.operation is not None and isinstance(state, PermissionStore)
        shape = self.shapes.get(exchange.operation.pointer)
        if shape is None:
            return None
        call = GraphCall(exchange, state, shape, _item_key(exchange, len(shape.tail)))
        return HANDLERS[shape.kind](call)

    def error_body(self, exchange: Exchange, code: str, message: str, **extra: Any) -> Any:
        """Graph's error body, `innerError` as the service sends it."""
        error: dict[str, Any] = {"code": code, "message": message}
        if extra.get("target") is not None:
            error["target"] = extra["target"]
        if extra.get("details"):
            error["details"] = [
                {"code": detail.code, "message": detail.message, "target": detail.target}
                for detail in extra["details"]
            ]
        inner: dict[str, Any] = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
            "request-id": exchange.request_id,
            "client-request-id": exchange.client_request_id,
        }
        if extra.get("status") == 429:
            inner["code"] = "throttledRequest"
        error["innerError"] = inner
        return {"error": error}

    def finish(self, exchange: Exchange, reply: Reply) -> Reply:
        """Graph's JSON content type on every body; the `client-request-id` on every answer (the
        caller's when it sent a sane one, as Graph echoes it)."""
        headers = {"client-request-id": exchange.client_request_id, **reply.headers}
        if reply.body is None:
            return replace(reply, headers=headers)
        return replace(reply, headers=headers, content_type=GRAPH_CONTENT_TYPE)


@dataclass
class GraphCall:
    """One recognised request: the exchange, the store, its shape and the item it is about."""

    exchange: Exchange
    store: PermissionStore
    shape: Shape
    item: str

    @property
    def body(self) -> Any:
        """The request's JSON body (already checked against the spec)."""
        return self.exchange.document if isinstance(self.exchange.document, dict) else {}

    def context(self, suffix: str) -> str:
        """`@odata.context` under this request's version prefix."""
        assert self.exchange.match is not None
        return f"{GRAPH_ROOT}{self.exchange.match.route.prefix}/$metadata#{suffix}"

    def permission_id(self) -> str:
        """The `{perm-id}` of `.../permissions/{perm-id}`."""
        assert self.exchange.operation is not None and self.exchange.match is not None
        name = _VARIABLE.findall(self.exchange.operation.path.rsplit("/", 1)[-1])[0]
        return self.exchange.match.parameters[name]

    def selected(self, permission: dict[str, Any]) -> dict[str, Any]:
        """`$select=a,b`: only those properties (and `id`)."""
        query = self.exchange.raw_path.partition("?")[2]
        chosen = next((value for name, value in parse_qsl(query) if name == "$select"), None)
        if not chosen:
            return permission
        wanted = {name.strip() for name in chosen.split(",")} | {"id", "@odata.type"}
        return {key: value for key, value in permission.items() if key in wanted}

    def not_found(self) -> Reply:
        """Graph's 404 for a permission that does not exist (any more)."""
        return self.exchange.error(404, "itemNotFound", "The requested permission was not found.")


def is_date_time(text: str) -> bool:
    """An RFC 3339 date-time that exists in the calendar."""
    if not _DATE_TIME.fullmatch(text):
        return False
    try:
        datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _invite(call: GraphCall) -> Reply:
    invitation = Invitation.from_body(call.body, is_date_time)
    context = call.context("Collection(microsoft.graph.permission)")
    status, body = invite_response(invitation, call.item, context)
    stored = [{k: v for k, v in p.items() if k != "error"} for p in body["value"]]
    call.store.add(call.item, stored)
    failed = sum("error" in permission for permission in body["value"])
    return Reply(status, body, note=f"{len(body['value'])} recipients, {failed} not notified")


def _create_link(call: GraphCall) -> Reply:
    permission = link_permission(call.item, call.body, is_date_time)
    existing = call.store.get(call.item, permission["id"])
    if existing is not None:
        return Reply(
            200, {"@odata.context": call.context("microsoft.graph.permission"), **existing}
        )
    call.store.add(call.item, [permission])
    return Reply(201, {"@odata.context": call.context("microsoft.graph.permission"), **permission})


def _list(call: GraphCall) -> Reply:
    permissions = [call.selected(p) for p in call.store.permissions(call.item)]
    body = {
        "@odata.context": call.context(f"{_odata_path(call.item)}/permissions"),
        "value": permissions,
    }
    return Reply(
        200,
        body,
        headers={"ETag": call.store.etag(call.item)},
        note=f"{len(permissions)} permissions",
    )


def _get(call: GraphCall) -> Reply:
    permission = call.store.get(call.item, call.permission_id())
    if permission is None:
        return call.not_found()
    context = call.context(f"{_odata_path(call.item)}/permissions/$entity")
    return Reply(
        200,
        {"@odata.context": context, **call.selected(permission)},
        headers={"ETag": call.store.etag(call.item)},
    )


def _update(call: GraphCall) -> Reply:
    body = call.body

    def change(permission: dict[str, Any]) -> None:
        if isinstance(body.get("roles"), list):
            permission["roles"] = list(body["roles"])
        expiration = body.get("expirationDateTime")
        if isinstance(expiration, str) and is_date_time(expiration):
            permission["expirationDateTime"] = expiration
        if isinstance(body.get("password"), str):
            permission["hasPassword"] = True

    updated = call.store.update(call.item, call.permission_id(), change)
    if updated is None:
        return call.not_found()
    context = call.context(f"{_odata_path(call.item)}/permissions/$entity")
    return Reply(
        200, {"@odata.context": context, **updated}, headers={"ETag": call.store.etag(call.item)}
    )


def _delete(call: GraphCall) -> Reply:
    if call.store.get(call.item, call.permission_id()) is None:
        return call.not_found()
    condition = call.exchange.incoming.headers.get("if-match")
    if condition is not None and condition.strip() not in ("*", call.store.etag(call.item)):
        message = "The item has changed since the given ETag was read (If-Match)."
        return call.exchange.error(412, "resourceModified", message)
    if not call.store.delete(call.item, call.permission_id()):
        return call.not_found()
    return Reply(204, note="permission deleted")


def _grant(call: GraphCall) -> Reply:
    share = call.item.removeprefix("/shares/").split("/", 1)[0]
    item = call.store.item_for_link(share) or call.item
    roles = [str(role) for role in call.body.get("roles") or ["read"]]
    permissions = [
        granted_permission(recipient, roles, item)
        for recipient in call.body.get("recipients") or []
    ]
    call.store.add(item, permissions)
    body = {
        "@odata.context": call.context("Collection(microsoft.graph.permission)"),
        "value": permissions,
    }
    return Reply(200, body, note=f"{len(permissions)} granted on {item}")


HANDLERS: dict[str, Callable[[GraphCall], Reply]] = {
    "invite": _invite,
    "create_link": _create_link,
    "list": _list,
    "get": _get,
    "update": _update,
    "delete": _delete,
    "grant": _grant,
}


def _item_key(exchange: Exchange, tail_length: int) -> str:
    """The item a request is about: its path up to the shape's tail, parameters filled in."""
    assert exchange.operation is not None and exchange.match is not None
    values = exchange.match.parameters
    segments = exchange.operation.path.split("/")[:-tail_length]
    concrete = [_VARIABLE.sub(lambda found: values.get(found.group(1), ""), s) for s in segments]
    return normalise_item("/".join(quote(segment, safe=ITEM_SEGMENT_SAFE) for segment in concrete))


def _odata_path(item: str) -> str:
    """`/drives/d/items/i` -> `drives('d')/items('i')`."""
    parts: list[str] = []
    segments = [segment for segment in item.split("/") if segment]
    for index, segment in enumerate(segments):
        if index and segments[index - 1] in _COLLECTIONS and parts:
            parts[-1] += "('" + segment.replace("'", "''") + "')"
        else:
            parts.append(segment)
    return "/".join(parts)


def _unqualify_action(path: str) -> str | None:
    head, _, last = path.rpartition("/")
    name = last.removeprefix(QUALIFIER)
    return f"{head}/{name}" if name != last and name in ACTIONS else None


def _qualify_action(path: str) -> str | None:
    head, _, last = path.rpartition("/")
    return f"{head}/{QUALIFIER}{last}" if last in ACTIONS else None


def _path_address_as_segment(path: str) -> str | None:
    """`/root:/a/b.docx:/invite` -> `/root:/a%2Fb.docx:/invite` (a spec template `{item-path}:`)."""
    found = _PATH_ADDRESS.search(path)
    if found is None:
        return None
    encoded = found.group("path").replace("/", "%2F")
    return f"{path[: found.start()]}/root:/{encoded}:{found.group('rest') or ''}"


def _path_address_as_item(path: str) -> str | None:
    """`/drives/d/root:/a/b.docx:/invite` -> `/drives/d/items/root%3A%2Fa%2Fb.docx%3A/invite`."""
    found = _PATH_ADDRESS.search(path)
    if found is None:
        return None
    item = quote(f"root:/{unquote(found.group('path'))}:", safe="")
    head = path[: found.start()]
    return f"{head}/items/{item}{found.group('rest') or ''}"


def _root_as_item(path: str) -> str | None:
    """`/me/drive/root/invite` -> `/me/drive/items/root/invite` (a drive's root is an item)."""
    spelled = re.sub(r"/(drive|drives/[^/]+)/root(?=/)", r"/\1/items/root", path, count=1)
    return spelled if spelled != path else None
