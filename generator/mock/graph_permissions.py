"""Graph permission bodies: built from an invitation (the 207 rule), a sharing link, a grant."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# A recipient at this domain cannot be notified (when sendInvitation is true): the 207 rule.
NOTIFICATION_FAILURE_DOMAIN = "fail.example"
DEFAULT_NOTIFICATION_FAILURE = "accountVerificationRequired"
# innererror.code (the documented SendNotification codes) -> (error.code, message).
NOTIFICATION_FAILURES: dict[str, tuple[str, str]] = {
    "accountVerificationRequired": (
        "notAllowed",
        "Account verification needed to unblock sending emails.",
    ),
    "hipCheckRequired": ("notAllowed", "A HIP check must be solved to unblock sending emails."),
    "exchangeInvalidUser": ("notAllowed", "The sender's mailbox was not found."),
    "exchangeOutOfMailboxQuota": ("quotaLimitReached", "The sender's mailbox is out of quota."),
    "exchangeMaxRecipients": (
        "notAllowed",
        "Too many recipients to notify at the same time.",
    ),
}
_FAILURES_BY_LOWER_CASE = {code.lower(): code for code in NOTIFICATION_FAILURES}
DEFAULT_ROLES = ("read",)


def notification_failure(recipient: Mapping[str, Any], send_invitation: bool) -> str | None:
    """The innererror code when this recipient cannot be notified, else None.

    `<code>[+anything]@fail.example` fails with that SendNotification code (case-insensitive);
    any other local part at `fail.example` fails with `accountVerificationRequired`.
    """
    email = recipient.get("email")
    if not send_invitation or not isinstance(email, str):
        return None
    local_part, _, domain = email.rpartition("@")
    if domain.lower() != NOTIFICATION_FAILURE_DOMAIN:
        return None
    code = local_part.split("+", 1)[0].lower()
    return _FAILURES_BY_LOWER_CASE.get(code, DEFAULT_NOTIFICATION_FAILURE)


def stable_id(*parts: object) -> str:
    """A GUID-shaped id that is the same for the same parts (a hash, no randomness)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest().upper()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


@dataclass(frozen=True)
class Invitation:
    """What a valid invite body asks for, reduced to what shapes the answer (never the password)."""

    recipients: tuple[dict[str, Any], ...]
    roles: tuple[str, ...]
    require_sign_in: bool
    send_invitation: bool
    has_password: bool
    expiration: str | None

    @classmethod
    def from_body(cls, body: Mapping[str, Any], is_date_time: Callable[[str], bool]) -> Invitation:
        """Read a body that already passed the request schema."""
        expiration = body.get("expirationDateTime")
        roles = body.get("roles")
        return cls(
            recipients=tuple(body["recipients"]),
            roles=DEFAULT_ROLES if roles is None else tuple(roles),
            require_sign_in=body.get("requireSignIn") is True,
            send_invitation=body.get("sendInvitation") is True,
            has_password=isinstance(body.get("password"), str),
            # The request schema takes any string, the permission schema only a date-time.
            expiration=(
                expiration if isinstance(expiration, str) and is_date_time(expiration) else None
            ),
        )


def permission_for(
    recipient: Mapping[str, Any], invitation: Invitation, item: str
) -> dict[str, Any]:
    """The permission granted to one recipient on `item`; its id depends only on the inputs."""
    email = recipient.get("email")
    label, identity = identity_for(recipient)
    permission: dict[str, Any] = {
        "@odata.type": "#microsoft.graph.permission",
        "id": stable_id("permission", item, label, sorted(invitation.roles)),
        "roles": list(invitation.roles),
        "grantedTo": {"user": dict(identity)},
        "grantedToV2": {"user": dict(identity)},
        "invitation": {"email": email, "signInRequired": invitation.require_sign_in},
    }
    if invitation.has_password:
        permission["hasPassword"] = True
    if invitation.expiration is not None:
        permission["expirationDateTime"] = invitation.expiration
    failure = notification_failure(recipient, invitation.send_invitation)
    if failure is not None:
        permission["error"] = recipient_error(failure)
    return permission


def recipient_error(inner_code: str) -> dict[str, Any]:
    """The documented per-recipient error of a 207 answer."""
    code, message = NOTIFICATION_FAILURES[inner_code]
    return {
        "code": code,
        "message": message,
        "localizedMessage": message,
        "fixItUrl": f"https://{NOTIFICATION_FAILURE_DOMAIN}/fix/{inner_code}",
        "innererror": {"code": inner_code},
    }


def invite_response(invitation: Invitation, item: str, context: str) -> tuple[int, dict[str, Any]]:
    """(200 or 207, body): one permission per recipient; 207 when any could not be notified."""
    permissions = [
        permission_for(recipient, invitation, item) for recipient in invitation.recipients
    ]
    status = 207 if any("error" in permission for permission in permissions) else 200
    return status, {"@odata.context": context, "value": permissions}


# Roles a sharing link of each type grants (Graph's createLink page).
LINK_ROLES = {"view": ["read"], "embed": ["read"], "blocksDownload": ["read"], "edit": ["write"]}
LINK_HOST = "https://contoso.sharepoint.example"


def encode_sharing_url(url: str) -> str:
    """A sharing URL -> Graph's share id: `u!` + unpadded base64url of the URL."""
    return "u!" + base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii").rstrip("=")


def decode_sharing_url(share_id: str) -> str | None:
    """`u!...` -> the sharing URL it encodes; None for anything else."""
    if not share_id.startswith("u!"):
        return None
    encoded = share_id[2:]
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def identity_for(recipient: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """(label, identity) for a driveRecipient: the email, alias or object id names the user."""
    email = recipient.get("email")
    label = str(email or recipient.get("alias") or recipient.get("objectId"))
    return label, {
        "id": str(recipient.get("objectId") or stable_id("user", label)),
        "displayName": label,
    }


def link_permission(
    item: str, body: Mapping[str, Any], is_date_time: Callable[[str], bool]
) -> dict[str, Any]:
    """The permission a `createLink` body creates on `item`; one per (type, scope)."""
    link_type = str(body.get("type", "view"))
    scope = str(body.get("scope") or "anonymous")
    permission_id = stable_id("link", item, link_type, scope)
    web_url = f"{LINK_HOST}/:{link_type[:1]}:/s/{permission_id.replace('-', '')[:16].lower()}"
    permission: dict[str, Any] = {
        "@odata.type": "#microsoft.graph.permission",
        "id": permission_id,
        "roles": list(LINK_ROLES.get(link_type, ["read"])),
        "shareId": encode_sharing_url(web_url),
        "link": {"type": link_type, "scope": scope, "webUrl": web_url},
    }
    if isinstance(body.get("password"), str):
        permission["hasPassword"] = True
    expiration = body.get("expirationDateTime")
    if isinstance(expiration, str) and is_date_time(expiration):
        permission["expirationDateTime"] = expiration
    return permission


def granted_permission(recipient: Mapping[str, Any], roles: list[str], item: str) -> dict[str, Any]:
    """The permission `grant` gives one recipient on the item a sharing link points to."""
    label, identity = identity_for(recipient)
    return {
        "@odata.type": "#microsoft.graph.permission",
        "id": stable_id("grant", item, label, sorted(roles)),
        "roles": list(roles),
        "grantedToV2": {"user": identity},
    }
