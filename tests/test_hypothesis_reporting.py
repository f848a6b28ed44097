"""Failing Hypothesis examples are printed in full, even with the schemathesis plugin loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_falsifying_example_is_printed(tmp_path: Path) -> None:
    probe = ROOT / "tests" / "_probe_reporting_test.py"
    probe.write_text(
        "from hypothesis import given, strategies as st\n"
        "import schemathesis  # noqa: F401  (loads the patch this guards against)\n"
        "from schemathesis.generation.hypothesis import setup\n"
        "setup()\n\n"
        # The value is computed so that only Hypothesis' report can print it, not the source listing.
        "@given(st.just({'marker': 'falsified-' + str(617 * 2)}))\n"
        "def test_fails(data):\n    if data:\n        raise AssertionError('boom')\n"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
    finally:
        probe.unlink()
    assert result.returncode == 1
    assert "data={'marker': 'falsified-1234'}" in result.stdout, result.stdout[-2000:]
