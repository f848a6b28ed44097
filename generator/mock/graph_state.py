"""The Graph layer's state: permissions per drive item, in memory, optionally seeded from a file.

Items are keyed by their path without the version prefix (`/drives/d/items/i`); `/drive/...` is
`/me/drive/...` and a drive's `root` is the item `root`. Each segment is written one way whatever
the request (or a fixture) percent-encoded: decoded, then encoded except RFC 3986's sub-delims,
`:` and `@` (`b%21x` and `b!x` are the same drive, `b!x`). An item's ETag changes with every change
to its permissions. `--state FILE` is JSON: `{"items": {"<item key>": [<permission>, ...]}}`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from generator.mock.graph_permissions import decode_sharing_url

# A long-running mock keeps at most this many items (the oldest are forgotten first).
MAX_ITEMS = 10_000
MAX_PERMISSIONS_PER_ITEM = 1_000
# Characters an item key keeps as they are (RFC 3986 pchar minus unreserved, which `quote` keeps).
ITEM_SEGMENT_SAFE = ":!$'()*+,;=@"


class StateFileError(ValueError):
    """A `--state` file that cannot be used; the message names the file and the place."""


class PermissionStore:
    """Permissions per item key, in insertion order; thread-safe; `reset()` returns to the fixtures."""

    def __init__(self, fixtures: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self._fixtures = copy.deepcopy(fixtures or {})
        self._lock = threading.Lock()
        self._items: dict[str, dict[str, dict[str, Any]]] = {}
        self._versions: dict[str, int] = {}
        self.reset()

    def reset(self) -> None:
        """Back to the fixtures the store started with."""
        with self._lock:
            self._items = {
                key: {permission["id"]: copy.deepcopy(permission) for permission in permissions}
                for key, permissions in self._fixtures.items()
            }
            self._versions = dict.fromkeys(self._items, 0)

    def etag(self, key: str) -> str:
        """The item's current ETag (quoted, as HTTP writes it)."""
        with self._lock:
            version = self._versions.get(key, 0)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16].upper()
        return f'"{{{digest}}},{version}"'

    def add(self, key: str, permissions: list[dict[str, Any]]) -> None:
        """Store (or replace, by id) permissions on an item."""
        with self._lock:
            item = self._items.setdefault(key, {})
            for permission in permissions:
                item[permission["id"]] = copy.deepcopy(permission)
                while len(item) > MAX_PERMISSIONS_PER_ITEM:
                    item.pop(next(iter(item)))
            self._touch(key)

    def permissions(self, key: str) -> list[dict[str, Any]]:
        """Copies of the item's permissions, oldest first."""
        with self._lock:
            return copy.deepcopy(list(self._items.get(key, {}).values()))

    def get(self, key: str, permission_id: str) -> dict[str, Any] | None:
        """A copy of one permission, or None."""
        with self._lock:
            found = self._items.get(key, {}).get(permission_id)
            return copy.deepcopy(found) if found is not None else None

    def update(
        self, key: str, permission_id: str, change: Callable[[dict[str, Any]], None]
    ) -> dict[str, Any] | None:
        """Apply `change` to one permission; the updated copy, or None when it does not exist."""
        with self._lock:
            found = self._items.get(key, {}).get(permission_id)
            if found is None:
                return None
            change(found)
            self._touch(key)
            return copy.deepcopy(found)

    def delete(self, key: str, permission_id: str) -> bool:
        """Remove one permission; whether it existed."""
        with self._lock:
            item = self._items.get(key, {})
            if item.pop(permission_id, None) is None:
                return False
            self._touch(key)
            return True

    def item_for_link(self, share_id: str) -> str | None:
        """The item holding the sharing link that `share_id` (`u!...` or a shareId) names."""
        url = decode_sharing_url(share_id)
        with self._lock:
            for key, permissions in self._items.items():
                for permission in permissions.values():
                    link = permission.get("link") or {}
                    if permission.get("shareId") == share_id or (url and link.get("webUrl") == url):
                        return key
        return None

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """Every item's permissions (for `GET /_mock/state`)."""
        with self._lock:
            return {
                key: copy.deepcopy(list(item.values())) for key, item in sorted(self._items.items())
            }

    def _touch(self, key: str) -> None:
        self._versions[key] = self._versions.get(key, 0) + 1
        while len(self._items) > MAX_ITEMS:
            oldest = next(iter(self._items))
            self._items.pop(oldest)
            self._versions.pop(oldest, None)


def load_fixtures(
    path: Path, check: Callable[[dict[str, Any]], str | None]
) -> dict[str, list[dict[str, Any]]]:
    """Read a `--state` file; `check(permission)` returns a problem or None. Raise `StateFileError`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise StateFileError(f"{path}: cannot read state file: {error}") from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        raise StateFileError(
            f'{path}: #: expected {{"items": {{"<item path>": [permission, ...]}}}}'
        )
    fixtures: dict[str, list[dict[str, Any]]] = {}
    for key, permissions in items.items():
        where = f"{path}: #/items/{key.replace('~', '~0').replace('/', '~1')}"
        if not isinstance(permissions, list):
            raise StateFileError(f"{where}: expected a list of permissions")
        for index, permission in enumerate(permissions):
            problem = check(permission) if isinstance(permission, dict) else "not an object"
            if problem is None and not isinstance(permission.get("id"), str):
                problem = "a stored permission needs a string id"
            if problem is not None:
                raise StateFileError(f"{where}/{index}: {problem}")
        fixtures[normalise_item(key)] = permissions
    return fixtures


def normalise_item(key: str) -> str:
    """One key per item however the path spells it (`/drive/root` -> `/me/drive/items/root`)."""
    segments = [canonical_segment(segment) for segment in key.split("/") if segment]
    if segments[:1] == ["drive"]:
        segments = ["me", *segments]
    # Path-based addressing, `root:/a/b.docx:` as two segments (a `root:/{path}:` template) or as
    # one item id: one key, `items/root:%2Fa%2Fb.docx:`.
    for index in range(len(segments)):
        if segments[index] == "root:" and segments[index + 1 : index + 2][-1:] != [""]:
            following = segments[index + 1] if index + 1 < len(segments) else ""
            if following.endswith(":"):
                segments[index : index + 2] = ["root:%2F" + following]
        if index >= len(segments):
            break
        if segments[index].startswith("root:%2F") and segments[index - 1 : index] != ["items"]:
            segments.insert(index, "items")
            break
    at_root = segments[-1:] == ["root"] and (
        segments[-2:-1] == ["drive"] or (len(segments) == 3 and segments[0] == "drives")
    )
    if at_root:
        segments[-1:] = ["items", "root"]
    return "/" + "/".join(segments)


def canonical_segment(segment: str) -> str:
    """One spelling of a path segment: decoded, then encoded but for `ITEM_SEGMENT_SAFE`."""
    return quote(unquote(segment), safe=ITEM_SEGMENT_SAFE)
