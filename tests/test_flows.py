"""Sharing flows through the generated client against the stateful Graph mock, as properties.

invite -> list -> update -> delete, with Hypothesis drawing the drive id (Graph's `b!...` too),
the recipients (some at `fail.example`, whom the mock cannot notify: a 207), whether to notify,
the roles, the API version, a throttling answer on the way (429 or 503 with `Retry-After`, which
the client answers by waiting on its injected clock) and a stale `If-Match` on the delete (412,
then the current ETag works). Each example runs on a fresh item, so examples never see each
other's state.
The async client walks the same flow plus createLink and grant, in process (httpx's ASGI
transport into the mock application, a fresh store per example), on every path family.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
import pytest
from graph_invite import UNSET, AsyncGraphClient, CallOptions, GraphClient, GraphError
from graph_invite.graph import encode_sharing_url
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.mock.app import MockApp
from generator.mock.server import MockServer
from generator.mock.service import MockService

TOKEN = "flow-token"
ITEMS = itertools.count()

EMAILS = st.builds(
    "{}@{}.com".format,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10),
    st.sampled_from(["contoso", "fabrikam", "example"]),
)
ROLES = st.sampled_from(["read", "write"])


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# Recipients the mock's 207 rule cannot notify (README: "The mock", 207 rule).
UNREACHABLE = st.builds(
    "{}@fail.example".format,
    st.sampled_from(["hipCheckRequired", "exchangeInvalidUser", "someone"]),
)
FAULTS = st.sampled_from([None, "429;retry-after=2;times=1", "503;retry-after=2;times=1"])


@settings(max_examples=25)
@given(
    drive=st.sampled_from(["flow-drive", "b!flow-drive"]),
    emails=st.lists(st.one_of(EMAILS, UNREACHABLE), min_size=1, max_size=4, unique=True),
    notify=st.booleans(),
    role=ROLES,
    new_role=ROLES,
    version=st.sampled_from(["v1.0", "beta"]),
    fault=FAULTS,
    stale_if_match=st.booleans(),
)
def test_invite_list_update_delete(
    running: MockServer,
    drive: str,
    emails: list[str],
    notify: bool,
    role: str,
    new_role: str,
    version: str,
    fault: str | None,
    stale_if_match: bool,
) -> None:
    clock = Clock()
    item = f"flow-item-{next(ITEMS)}"
    faults = {"X-Mock-Fail": fault} if fault else {}
    unreachable = [email for email in emails if email.endswith("@fail.example")]
    with GraphClient(
        TOKEN, running.url, api_version=version, clock=clock, sleep=clock.sleep
    ) as graph:
        body: dict[str, Any] = {
            "recipients": [{"email": email} for email in emails],
            "roles": [role],
            "sendInvitation": notify,
        }
        invited = graph.drives_items_invite(drive, item, body, options=CallOptions(headers=faults))
        partial = notify and bool(unreachable)
        assert invited.status_code == (207 if partial else 200) and invited.partial is partial
        assert clock.sleeps == ([2.0] if fault else [])
        failed = [p.invitation.email for p in invited.failed if p.invitation]
        assert sorted(failed) == (sorted(unreachable) if notify else [])
        created = {p.id_ for p in invited.body.value}
        assert len(created) == len(emails)

        listed = graph.drives_items_list_permissions(drive, item)
        # Stored permissions carry no notification error, whoever could not be notified.
        assert created <= {p.id_ for p in listed.body.value}
        assert all(p.error is UNSET for p in listed.body.value)
        read_etag = listed.headers["ETag"]
        target = invited.body.value[0]
        assert isinstance(target.id_, str)

        updated = graph.drives_items_update_permission(
            drive, item, target.id_, {"roles": [new_role]}
        )
        assert updated.body.to_dict()["roles"] == [new_role]
        fetched = graph.drives_items_get_permission(drive, item, target.id_)
        assert fetched.body == updated.body

        if stale_if_match:  # the update changed the item's ETag: the one read before is stale
            with pytest.raises(GraphError) as stale:
                graph.drives_items_delete_permission(drive, item, target.id_, if_match=read_etag)
            assert (stale.value.status_code, stale.value.code) == (412, "resourceModified")
        current = graph.drives_items_list_permissions(drive, item).headers["ETag"]
        deleted = graph.drives_items_delete_permission(drive, item, target.id_, if_match=current)
        assert deleted.status_code == 204
        after = {p.id_ for p in graph.drives_items_list_permissions(drive, item).body.value}
        assert target.id_ not in after and created - {target.id_} <= after
        with pytest.raises(GraphError) as gone:
            graph.drives_items_get_permission(drive, item, target.id_)
        assert gone.value.status_code == 404 and gone.value.code == "itemNotFound"


# (method name prefix, the owner arguments before the item id) for each path family with the
# whole permission surface.
FAMILIES = st.sampled_from(
    [
        ("drives_items", ("flow-drive",)),
        ("groups_drive_items", ("flow-group",)),
        ("sites_drive_items", ("flow-site",)),
        ("users_drive_items", ("flow-user",)),
        ("me_drive_items", ()),
    ]
)


class AsyncClock(Clock):
    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


async def _async_flow(
    app: MockApp, family: tuple[str, tuple[str, ...]], emails: list[str], role: str, throttle: bool
) -> None:
    prefix, owner = family
    clock = AsyncClock()
    faults = {"X-Mock-Fail": "503;retry-after=3;times=1"} if throttle else {}
    async with AsyncGraphClient(
        TOKEN,
        "https://graph.microsoft.com",
        transport=httpx.ASGITransport(app=app),
        clock=clock,
        sleep=clock.async_sleep,
    ) as graph:

        def call(operation: str) -> Any:
            return getattr(graph, f"{prefix}_{operation}")

        body = {"recipients": [{"email": e} for e in emails], "roles": [role]}
        invited = await call("invite")(*owner, "item", body, options=CallOptions(headers=faults))
        assert clock.sleeps == ([3.0] if throttle else [])
        created = [permission.id_ for permission in invited.body.value]
        assert len(set(created)) == len(emails)
        listed = await call("list_permissions")(*owner, "item")
        assert sorted(p.id_ for p in listed.body.value) == sorted(created)

        first = created[0]
        fetched = await call("get_permission")(*owner, "item", first)
        assert fetched.body.to_dict()["roles"] == [role]
        updated = await call("update_permission")(*owner, "item", first, {"roles": ["owner"]})
        assert updated.body.to_dict()["roles"] == ["owner"]

        link = await call("create_link")(*owner, "item", {"type": "edit", "scope": "users"})
        again = await call("create_link")(*owner, "item", {"type": "edit", "scope": "users"})
        assert (link.status_code, again.status_code) == (201, 200)
        assert again.body.id_ == link.body.id_
        share = encode_sharing_url(str(link.body.link.web_url))
        granted = await graph.shares_permission_grant(
            str(share), {"recipients": [{"email": "guest@example.com"}], "roles": ["read"]}
        )
        (grant,) = granted.body.value

        deleted = await call("delete_permission")(*owner, "item", first)
        assert deleted.status_code == 204
        left = {p.id_ for p in (await call("list_permissions")(*owner, "item")).body.value}
        assert left == (set(created) - {first}) | {link.body.id_, grant.id_}
        with pytest.raises(GraphError) as gone:
            await call("get_permission")(*owner, "item", first)
        assert gone.value.status_code == 404


@settings(max_examples=15, deadline=None)
@given(
    family=FAMILIES,
    emails=st.lists(EMAILS, min_size=1, max_size=3, unique=True),
    role=ROLES,
    throttle=st.booleans(),
)
def test_async_client_flow_on_every_family(
    service: MockService,
    family: tuple[str, tuple[str, ...]],
    emails: list[str],
    role: str,
    throttle: bool,
) -> None:
    app = MockApp(service)  # a fresh store: examples never see each other's permissions
    asyncio.run(_async_flow(app, family, emails, role, throttle))
