"""Failing Hypothesis examples are printed in full, even with the schemathesis plugin loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_falsifying_example_is_printed(tmp_path: Path) -> None:
    # The probe lives in tmp_path (never in the source tree); `-p tests.conftest` gives it the
    # suite's conftest, whose autouse fixture is what this test guards.
    probe = tmp_path / "test_probe_reporting.py"
    probe.write_text(
        "from hypothesis import given, strategies as st\n"
        "import schemathesis  # noqa: F401  (loads the patch this guards against)\n"
        "from schemathesis.generation.hypothesis import setup\n"
        "setup()\n\n"
        # The value is computed so that only Hypothesis' report can print it, not the source listing.
        "@given(st.just({'marker': 'falsified-' + str(617 * 2)}))\n"
        "def test_fails(data):\n    if data:\n        raise AssertionError('boom')\n"
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "tests.conftest", "--rootdir", str(tmp_path), str(probe)]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, check=False, timeout=300
    )
    assert result.returncode == 1
    assert "data={'marker': 'falsified-1234'}" in result.stdout, result.stdout[-2000:]
