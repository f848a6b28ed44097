"""`make demo` runs: invite (200, 207) -> list -> revoke -> list through the generated client against
the mock, which it starts and stops itself (issue 15: "make demo shows invite -> list -> revoke").
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_demo_invites_lists_and_revokes() -> None:
    finished = subprocess.run(
        [sys.executable, str(ROOT / "demo" / "run_demo.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    out = finished.stdout
    assert "HTTP 200 OK" in out and "HTTP 207 Multi-Status: 1 of 2" in out
    listed, after = out.split("3) list")[1].split("5) list again")
    assert listed.count("roles=write") == 3 and after.count("roles=write") == 2
    assert "drives_items_delete_permission(" in out and "-> HTTP 204" in out
    assert "get it again -> HTTP 404 itemNotFound" in out
    assert "Mock stopped (exit code 0)." in out
