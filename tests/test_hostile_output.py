"""Issue 18 M6, `--out`: only a folder invitegen made is ever replaced, and never the spec's.

A folder is invitegen's when it holds the marker file every generation writes first. Anything
else that is not empty is refused with one clear line and left exactly as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
from pathlib import Path

import pytest

from generator.cli import main
from generator.output import writer
from generator.output.writer import MARKER_FILE
from tests.test_hostile_growth import spec_with


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with `spec.json` (a small valid spec), as the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(writer, "format_sources", list)
    (tmp_path / "spec.json").write_text(json.dumps(spec_with({}, {})), encoding="utf-8")
    return tmp_path


def generate(out: str, spec: str = "spec.json") -> int:
    arguments = ["generate", "--spec", spec, "--out", out, "--previous", "none"]
    return main([*arguments, "--package", "graph_invite"])


def test_a_foreign_folder_is_refused_and_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mine" / ".git").mkdir(parents=True)
    (project / "mine" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project / "mine" / "notes.txt").write_text("mine\n")

    assert generate("mine") == 1

    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert error == (
        f"invitegen: --out mine: not empty and not made by invitegen (no {MARKER_FILE} file); "
        "choose another --out, or empty it first; nothing was written\n"
    )
    assert (project / "mine" / "notes.txt").read_text() == "mine\n"
    assert (project / "mine" / ".git" / "HEAD").is_file()
    assert sorted(path.name for path in project.iterdir()) == ["mine", "spec.json"]


@pytest.mark.parametrize("out", [".", "", "..", "/"])
def test_the_working_folder_its_parents_and_root_are_refused(
    project: Path, out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(out) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"invitegen: --out {out or '.'}: refusing") and "Traceback" not in error
    assert (project / "spec.json").is_file()


def test_the_spec_folder_is_refused_even_when_marked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "api").mkdir()
    (project / "api" / "spec.json").write_text((project / "spec.json").read_text())
    (project / "api" / MARKER_FILE).write_text("")

    assert generate("api", spec="api/spec.json") == 1

    assert "refusing to replace a folder that holds api/spec.json" in capsys.readouterr().err
    assert (project / "api" / "spec.json").is_file()


def test_an_empty_or_marked_folder_is_replaced_and_keeps_its_mode(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    out.chmod(0o750)
    assert generate("out") == 0
    assert (out / MARKER_FILE).is_file() and (out / "graph_invite" / "models.py").is_file()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750

    (out / "stale.py").write_text("")
    assert generate("out") == 0
    assert not (out / "stale.py").exists()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_a_new_folder_gets_the_umask_mode(project: Path) -> None:
    umask = os.umask(0o022)
    try:
        assert generate("fresh") == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE((project / "fresh").stat().st_mode) == 0o755


def test_stale_staging_folders_are_removed_but_not_a_live_one(project: Path) -> None:
    killed = project / ".out.new-killed"
    (killed / "graph_invite").mkdir(parents=True)
    (killed / MARKER_FILE).write_text("")
    (killed / "graph_invite" / "half.py").write_text("x = (")
    empty = project / ".out.new-empty"
    empty.mkdir()
    live = project / ".out.new-live"
    live.mkdir()
    (live / MARKER_FILE).write_text("")
    unrelated = project / ".out.new-unrelated"
    unrelated.mkdir()
    (unrelated / "data.txt").write_text("not ours\n")

    with (live / MARKER_FILE).open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another run, still writing
        assert generate("out") == 0

    assert not killed.exists() and not empty.exists()
    assert live.is_dir() and (unrelated / "data.txt").is_file()
    leftovers = sorted(path.name for path in project.glob(".out.*"))
    assert leftovers == [".out.new-live", ".out.new-unrelated"]
