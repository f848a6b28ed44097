"""Sharing flows through the generated client against the stateful Graph mock, as properties.

invite -> list -> update -> delete, with Hypothesis drawing the recipients, the roles, the API
version and throttling on the way (`X-Mock-Fail`, which the client answers by waiting on its
injected clock). Each example runs on a fresh item, so examples never see each other's state.
"""

from __future__ import annotations

import itertools
from typing import Any

from graph_invite import CallOptions, GraphClient, GraphError
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.mock.server import MockServer

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


@settings(max_examples=25)
@given(
    emails=st.lists(EMAILS, min_size=1, max_size=4, unique=True),
    role=ROLES,
    new_role=ROLES,
    version=st.sampled_from(["v1.0", "beta"]),
    throttle=st.booleans(),
)
def test_invite_list_update_delete(
    running: MockServer, emails: list[str], role: str, new_role: str, version: str, throttle: bool
) -> None:
    clock = Clock()
    item = f"flow-item-{next(ITEMS)}"
    faults = {"X-Mock-Fail": "429;retry-after=2;times=1"} if throttle else {}
    with GraphClient(
        TOKEN, running.url, api_version=version, clock=clock, sleep=clock.sleep
    ) as graph:
        body: dict[str, Any] = {
            "recipients": [{"email": email} for email in emails],
            "roles": [role],
            "sendInvitation": False,
        }
        invited = graph.drives_items_invite(
            "flow-drive", item, body, options=CallOptions(headers=faults)
        )
        assert invited.status_code == 200
        assert clock.sleeps == ([2.0] if throttle else [])
        created = {p.id_ for p in invited.body.value}
        assert len(created) == len(emails)

        listed = graph.drives_items_list_permissions("flow-drive", item)
        assert created <= {p.id_ for p in listed.body.value}
        target = invited.body.value[0]
        assert isinstance(target.id_, str)

        updated = graph.drives_items_update_permission(
            "flow-drive", item, target.id_, {"roles": [new_role]}
        )
        assert updated.body.to_dict()["roles"] == [new_role]
        fetched = graph.drives_items_get_permission("flow-drive", item, target.id_)
        assert fetched.body == updated.body

        deleted = graph.drives_items_delete_permission("flow-drive", item, target.id_)
        assert deleted.status_code == 204
        after = {p.id_ for p in graph.drives_items_list_permissions("flow-drive", item).body.value}
        assert target.id_ not in after and created - {target.id_} <= after
        try:
            graph.drives_items_get_permission("flow-drive", item, target.id_)
        except GraphError as error:
            assert error.status_code == 404
        else:
            raise AssertionError("a deleted permission is still there")
