"""`make demo`: start the mock Graph service; with the generated client, invite (200 and 207), list
the permissions the mock now holds for the item, revoke one, list again, and show that the revoked
permission is gone (404).

The mock runs as a subprocess (`python -m generator mock --port 0`) on a free loopback port and is
stopped with SIGINT at the end, whatever happens; its request log is printed last.
"""

from __future__ import annotations

import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from graph_invite import GraphClient, GraphError, InviteResult, Permission
from graph_invite.types import enum_value

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
TEAM = [{"email": "ryan@contoso.com"}, {"email": "helga@contoso.com"}]
# The mock's documented 207 rule: recipients at fail.example cannot be notified; the local part
# picks the SendNotification error code.
WITH_UNREACHABLE = [{"email": "ryan@contoso.com"}, {"email": "hipCheckRequired@fail.example"}]


def start_mock() -> tuple[subprocess.Popen[str], str]:
    """The running mock and its base URL, read from the first line it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "mock", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    # A deadline for the first line: a mock that hangs before printing must not hang the demo.
    ready, _, _ = select.select([process.stdout], [], [], STARTUP_TIMEOUT)
    first = process.stdout.readline() if ready else ""
    if "listening on " not in first:
        _, log = stop_mock(process)
        raise SystemExit(f"the mock did not start within {STARTUP_TIMEOUT:.0f} s: {first or log}")
    return process, first.split("listening on ", 1)[1].split()[0]


def stop_mock(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Stop the mock with SIGINT (as Ctrl-C would); its exit code and request log."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        _, log = process.communicate(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        _, log = process.communicate()
    return process.returncode, log


def describe(permission: Permission) -> str:
    """One line per recipient: who, which roles, and the notification error if any."""
    invitation = permission.invitation
    who = getattr(invitation, "email", None) or "?"
    roles = ",".join(enum_value(role) for role in permission.roles or [])
    line = f"{who:<32} roles={roles:<6} permission {permission.id_}"
    error = permission.error
    if not error:
        return f"   ok      {line}"
    inner = getattr(error.innererror, "code", "")
    return f"   FAILED  {line}\n           {error.code}/{inner}: {error.message}"


def show(title: str, result: InviteResult) -> None:
    """Print one invite's outcome readably."""
    partial = (
        f" Multi-Status: {len(result.failed)} of {len(result.permissions)} recipients not notified"
    )
    print(f"\n{title}")
    print(
        f"   HTTP {result.status_code}{partial if result.partial else ' OK'} (request-id {result.request_id})"
    )
    for permission in result.permissions:
        print(describe(permission))


DRIVE = "b!demo-drive"  # Graph drive ids start `b!`; the client sends it percent-encoded
ITEM = "01DEMOITEM"
TOKEN = "demo-token"  # noqa: S105 (the mock accepts any bearer token not starting with "expired")


def list_permissions(graph: GraphClient, title: str) -> list[Permission]:
    """The item's permissions, through the spec's list operation."""
    result = graph.drives_items_list_permissions(DRIVE, ITEM)
    print(f"\n{title}: drives_items_list_permissions -> HTTP {result.status_code}")
    for permission in result.body.value:
        who = getattr(permission.invitation, "email", None) or permission.id_
        roles = ",".join(enum_value(role) for role in permission.roles or [])
        print(f"   {who:<32} roles={roles:<6} permission {permission.id_}")
    return list(result.body.value)


def revoke(graph: GraphClient, permission: Permission) -> None:
    """Delete one permission (204); fetching it afterwards is a 404 `GraphError`."""
    assert isinstance(permission.id_, str)
    deleted = graph.drives_items_delete_permission(DRIVE, ITEM, permission.id_)
    print(
        f"\n4) revoke: drives_items_delete_permission({permission.id_}) -> HTTP {deleted.status_code}"
    )
    try:
        graph.drives_items_get_permission(DRIVE, ITEM, permission.id_)
    except GraphError as error:
        print(f"   get it again -> HTTP {error.status_code} {error.code}: {error.message}")
    else:
        raise SystemExit("the revoked permission is still there")


def run(base_url: str) -> None:
    """The two invites, then list, revoke, list, all through the generated client."""
    body: dict[str, Any] = {"roles": ["write"], "sendInvitation": True, "requireSignIn": True}
    with GraphClient(token=TOKEN, base_url=base_url) as graph:
        show(
            "1) drives_items_invite: POST /v1.0/drives/{drive-id}/items/{item-id}/invite",
            graph.drives_items_invite(DRIVE, ITEM, {**body, "recipients": TEAM}),
        )
        show(
            "2) drives_items_invite again, one recipient unreachable",
            graph.drives_items_invite(DRIVE, ITEM, {**body, "recipients": WITH_UNREACHABLE}),
        )
        permissions = list_permissions(graph, "3) list the item's permissions")
        revoke(graph, permissions[0])
        list_permissions(graph, "5) list again")


def main() -> int:
    """Start the mock, run the demo, always stop the mock; exit 1 if anything failed."""
    process, base_url = start_mock()
    print(f"Mock Graph service on {base_url} (pid {process.pid})")
    try:
        run(base_url)
    finally:
        code, log = stop_mock(process)
        print("\nMock request log:")
        for line in log.splitlines():
            print(f"   {line}")
        print(f"Mock stopped (exit code {code}).")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
