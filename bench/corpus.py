"""Deterministic benchmark corpus: invite requests and 200/207 responses, valid and broken.

Every payload is built from its index alone (no randomness, no clock), then sent through
`json.dumps`/`json.loads` so it is exactly what a client holds after parsing a body: fresh dicts
and lists, no shared sub-objects that would make caches look better than they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["request", "response"]
ErrorPlace = Literal["", "early", "late"]

REQUEST_SIZES = (1, 10, 100)
RESPONSE_SIZES = (1, 10, 100, 1000)
# Graph writes seven fraction digits (.NET ticks); RFC 3339 allows any number.
EXPIRATION = "2026-07-15T14:00:00.1234567Z"
TENANT_ID = "6d5b8f3e-2c1a-4b9e-8f7d-3a2b1c0d9e8f"
SITE_URL = "https://contoso.sharepoint.com/sites/Marketing"


@dataclass(frozen=True)
class Payload:
    """One parsed JSON body: what it is (`kind`, `size`), whether it is valid, where it breaks."""

    name: str
    kind: Kind
    status: str
    size: int
    error_at: ErrorPlace
    data: Any

    @property
    def valid(self) -> bool:
        """Whether the payload matches its schema (invalid ones carry one error)."""
        return self.error_at == ""


def _guid(index: int, salt: int) -> str:
    """A GUID-shaped string that depends only on (index, salt)."""
    digits = f"{(index * 2654435761 + salt * 40503) % 16**32:032X}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _recipient(index: int) -> dict[str, Any]:
    """Mostly e-mail recipients; every tenth an alias, every tenth an objectId (as Graph allows)."""
    if index % 10 == 8:
        return {"alias": f"sales-team-{index}"}
    if index % 10 == 9:
        return {"objectId": _guid(index, 1)}
    recipient: dict[str, Any] = {"email": f"user{index}@contoso.com"}
    if index % 3 == 0:
        recipient["@odata.type"] = "microsoft.graph.driveRecipient"
    return recipient


def invite_request(size: int) -> dict[str, Any]:
    """A request body with `size` recipients and every optional property set."""
    return {
        "recipients": [_recipient(index) for index in range(size)],
        "message": "Here's the file that we're collaborating on.",
        "requireSignIn": True,
        "sendInvitation": True,
        "roles": ["write"],
        "expirationDateTime": EXPIRATION,
        "password": "correct horse battery staple",
        "retainInheritedPermissions": False,
    }


def _identity(index: int, name: str, *, email: bool = False) -> dict[str, Any]:
    identity: dict[str, Any] = {"displayName": f"{name} {index}", "id": _guid(index, 2)}
    if email:  # Graph adds `email` to user identities: an unknown property the schema allows
        identity["email"] = f"user{index}@contoso.com"
    return identity


def _site_identity(index: int, name: str) -> dict[str, Any]:
    return {"displayName": f"{name} {index}", "id": str(index + 7), "loginName": f"i:0#.f|{index}"}


def _user_permission(index: int) -> dict[str, Any]:
    """A permission created for an invited user (the current Graph page's example, extended)."""
    return {
        "@deprecated.GrantedTo": "GrantedTo has been deprecated. Refer to GrantedToV2",
        "grantedTo": {"user": _identity(index, "Robin Danielsen")},
        "grantedToV2": {
            "user": _identity(index, "Robin Danielsen", email=True),
            "siteUser": _site_identity(index, "Robin Danielsen"),
        },
        "hasPassword": True,
        "id": _guid(index, 3),
        "invitation": {"email": f"user{index}@contoso.com", "signInRequired": True},
        "roles": ["write"],
        "expirationDateTime": EXPIRATION,
    }


def _link_permission(index: int) -> dict[str, Any]:
    """A sharing-link permission with the identities it was granted to."""
    granted = [
        {"user": _identity(index + offset, "Guest", email=True)}
        for offset in range(2)  # two people per link
    ]
    return {
        "@deprecated.GrantedToIdentities": "GrantedToIdentities has been deprecated.",
        "id": _guid(index, 4),
        "roles": ["read"],
        "grantedToIdentities": granted,
        "grantedToIdentitiesV2": [
            {**person, "siteUser": _site_identity(index, "Guest")} for person in granted
        ],
        "link": {
            "@odata.type": "#microsoft.graph.sharingLink",
            "application": {"displayName": "OneDrive", "id": _guid(index, 5)},
            "type": "view",
            "scope": "users",
            "webUrl": f"https://contoso-my.sharepoint.com/:w:/g/personal/Eb{index:06d}",
            "preventsDownload": False,
        },
        "shareId": f"u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tL{index:06d}",
        "hasPassword": False,
        "expirationDateTime": EXPIRATION,
    }


def _inherited_permission(index: int) -> dict[str, Any]:
    """An owner permission inherited from the library, with SharePoint identifiers."""
    return {
        "id": _guid(index, 6),
        "roles": ["owner"],
        "grantedToV2": {"siteGroup": _site_identity(index, "Marketing Owners")},
        "inheritedFrom": {
            "driveId": f"b!{index:08d}",
            "driveType": "documentLibrary",
            "id": _guid(index, 7),
            "path": "/drive/root:/Documents",
            "sharepointIds": {
                "listId": _guid(index, 8),
                "listItemUniqueId": _guid(index, 9),
                "siteId": _guid(index, 10),
                "siteUrl": SITE_URL,
                "tenantId": TENANT_ID,
                "webId": _guid(index, 11),
            },
        },
    }


def _application_permission(index: int) -> dict[str, Any]:
    """An app permission with a role outside the documented enum (responses keep it open)."""
    app = {"displayName": "Contoso Sync", "id": _guid(index, 12)}
    return {
        "id": _guid(index, 13),
        "roles": ["sp.full control"],
        "grantedTo": {"application": app},
        "grantedToV2": {"application": app},
        "expirationDateTime": "0001-01-01T00:00:00Z",
    }


_PERMISSION_SHAPES = (
    _user_permission,
    _link_permission,
    _inherited_permission,
    _application_permission,
)


def _recipient_error(index: int) -> dict[str, Any]:
    """The per-recipient error of a 207 answer (the beta reference's example)."""
    return {
        "code": "notAllowed",
        "message": "Account verification needed to unblock sending emails.",
        "localizedMessage": "Kontobestätigung erforderlich, um das Senden von E-Mails zu entsperren.",
        "fixItUrl": f"http://g.live.com/8SESkydrive/VerifyAccount?n={index}",
        "innererror": {"code": "accountVerificationRequired"},
    }


def permission(index: int, *, partial: bool) -> dict[str, Any]:
    """The index-th permission: four rotating shapes; some carry unknown properties or an error."""
    body = _PERMISSION_SHAPES[index % len(_PERMISSION_SHAPES)](index)
    if index % 5 == 0:  # properties newer than the spec, kept by lenient models
        body["@microsoft.graph.sharingEtag"] = f'"{index},3"'
        body["shareScope"] = {"kind": "tenant", "audiences": ["internal"]}
    if partial and index % 3 == 0:
        body["error"] = _recipient_error(index)
    return body


def invite_response(size: int, *, partial: bool) -> dict[str, Any]:
    """A 200 (or 207 when partial) answer with `size` permissions."""
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(permission)",
        "value": [permission(index, partial=partial) for index in range(size)],
    }


def _break(kind: Kind, body: dict[str, Any], index: int) -> None:
    """One realistic error: an address without '@' (request), a role that is not a list (response)."""
    if kind == "request":
        body["recipients"][index] = {"email": f"user{index}.contoso.com"}
    else:
        body["value"][index]["roles"] = "write"


def _payload(kind: Kind, status: str, size: int, error_at: ErrorPlace) -> Payload:
    body = (
        invite_request(size)
        if kind == "request"
        else invite_response(size, partial=status == "207")
    )
    if error_at:
        _break(kind, body, 0 if error_at == "early" else size - 1)
    suffix = f"-bad-{error_at}" if error_at else ""
    name = f"{kind}-{size}{suffix}" if kind == "request" else f"{status}-{size}{suffix}"
    return Payload(name, kind, status, size, error_at, json.loads(json.dumps(body)))


def _places(size: int) -> tuple[ErrorPlace, ...]:
    """Valid, early and late error; with one item early and late are the same payload."""
    return ("", "early") if size == 1 else ("", "early", "late")


def build_corpus() -> list[Payload]:
    """Every payload, requests first, each size's valid payload before its broken ones."""
    payloads = [
        _payload("request", "", size, place) for size in REQUEST_SIZES for place in _places(size)
    ]
    for status in ("200", "207"):
        payloads += [
            _payload("response", status, size, place)
            for size in RESPONSE_SIZES
            for place in _places(size)
        ]
    return payloads


def node_count(data: object) -> int:
    """How many JSON values (objects, arrays, scalars) a parsed document holds."""
    if isinstance(data, dict):
        return 1 + sum(node_count(value) for value in data.values())
    if isinstance(data, list):
        return 1 + sum(node_count(item) for item in data)
    return 1
