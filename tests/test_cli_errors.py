"""Error snapshots: every bad spec gives located errors, exit 1, no traceback, output untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main
from generator.output.writer import MARKER_FILE
from tests.conftest import ROOT

CASES = ROOT / "tests" / "specs_with_errors"
SNAPSHOTS = CASES / "__snapshots__"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


@pytest.mark.parametrize("case", sorted(path.stem for path in CASES.glob("*.yaml")))
def test_bad_spec_reports_errors_and_keeps_output(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "generated"
    out.mkdir()
    (out / "keep.txt").write_text("previous generation\n")
    (out / MARKER_FILE).write_text("")  # a folder invitegen made: it may be replaced

    spec = f"tests/specs_with_errors/{case}.yaml"
    code = main(["generate", "--spec", spec, "--out", str(out), "--previous", "none"])

    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert sorted(p.name for p in out.iterdir()) == [MARKER_FILE, "keep.txt"]
    assert (out / "keep.txt").read_text() == "previous generation\n"
    assert not list(tmp_path.glob(".generated.*")), "a staging folder was left behind"
    snapshot = SNAPSHOTS / f"{case}.txt"
    if UPDATE:
        snapshot.write_text(captured.err)
    assert (
        snapshot.exists()
    ), f"no snapshot for {case}: run `UPDATE_SNAPSHOTS=1 make test` and review it"
    assert captured.err == snapshot.read_text()
    first = captured.err.splitlines()[0]
    assert first.startswith(f"tests/specs_with_errors/{case}.yaml:"), first
    assert ": #" in first, "every error names a JSON pointer"
