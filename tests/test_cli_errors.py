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


LOOSE_SPEC = """\
openapi: 3.1.0
info: {title: Loose, version: "1.0"}
paths:
  /things:
    post:
      operationId: make_thing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "204": {description: made}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        kind:
          type: string
          not: {const: forbidden}
"""


def test_a_strategy_drawn_loosely_is_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "loose.yaml"
    spec.write_text(LOOSE_SPEC)
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--previous", "none"]) == 0
    err = capsys.readouterr().err
    assert (
        "loose.yaml:21:16: #/components/schemas/Thing/properties/kind/not: " in err
        and "the test strategies for Thing draw it loosely and keep what its validator accepts"
        " (warning)" in err
    ), err
    assert "Thing" in (out / "loose" / "strategies.py").read_text()
