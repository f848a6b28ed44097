"""Where an import's time goes: `python -X importtime`, read back into a tree.

`-X importtime` prints each module after the modules it imported (post-order), indented by depth.
The benchmark follows the chain of single dominant children (`graph_invite.client` -> package
`graph_invite` -> module `graph_invite.client`) and reports the children of the first node whose
time is really split: for us httpx, asyncio, our models... - the list to act on.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import child_environment

DOMINANT = 0.9  # a child holding this share of its parent's time is "the same" import


@dataclass
class ImportNode:
    """One imported module: own and cumulative microseconds, and what it imported."""

    name: str
    self_us: int
    cumulative_us: int
    children: list[ImportNode] = field(default_factory=list)


def parse(stderr: str) -> list[ImportNode]:
    """The top-level imports of a `-X importtime` report, each with its subtree."""
    pending: dict[int, list[ImportNode]] = {}
    for line in stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line, or a line from something else
        name = fields[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        node = ImportNode(name.strip(), int(fields[0]), int(fields[1]))
        node.children = pending.pop(depth + 1, [])
        pending.setdefault(depth, []).append(node)
    return pending.get(0, [])


def split_point(roots: list[ImportNode]) -> ImportNode | None:
    """The last top-level import, followed down while one child holds nearly all its time."""
    if not roots:
        return None
    node = roots[-1]
    while node.children:
        heaviest = max(node.children, key=lambda child: child.cumulative_us)
        if heaviest.cumulative_us < DOMINANT * node.cumulative_us:
            break
        node = heaviest
    return node


def import_profile(module: str, pycache: Path, top: int = 6) -> dict[str, object]:
    """Total µs of `import module` and its `top` heaviest parts as (name, cumulative µs)."""
    completed = subprocess.run(  # noqa: S603 - our own argv, no shell
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=child_environment(pycache),
    )
    roots = parse(completed.stderr)
    node = split_point(roots)
    if node is None:
        return {"total_us": 0, "parts": []}
    parts = sorted(node.children, key=lambda child: child.cumulative_us, reverse=True)[:top]
    return {
        "total_us": roots[-1].cumulative_us,
        "split_at": node.name,
        "self_us": node.self_us,
        "parts": [[part.name, part.cumulative_us] for part in parts],
    }
