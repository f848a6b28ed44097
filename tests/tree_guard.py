"""No test writes into the source tree: the checkout's changed files before and after the run.

`conftest.py` takes `tree_state()` when the session starts (on the controller, not on xdist
workers) and fails the session when a file git sees (tracked or untracked, not ignored) was
added or changed by the end. Tests write under `tmp_path`; `UPDATE_SNAPSHOTS=1` runs, which
rewrite snapshots on purpose, are not guarded.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path


def tree_state(root: Path) -> dict[str, str] | None:
    """Each changed or untracked path git reports under `root` -> its content hash; None without git."""
    try:
        listing = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "-z", "--", "."],
            cwd=root,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    state: dict[str, str] = {}
    for entry in listing.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        path = root / entry[3:]
        state[entry] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return state


def written(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The git status entries that appeared or whose file content changed between two states."""
    return sorted(entry for entry, digest in after.items() if before.get(entry) != digest)
