"""`generate`'s default `--previous`: the --spec file itself as committed at git HEAD; skipped with
one note when git does not track it; `generate --spec X --out DIR` from any working directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT

PETSTORE = ROOT / "tests" / "public_specs" / "oai-petstore.yaml"
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def _git(repository: Path, *arguments: str) -> None:
    assert GIT is not None
    subprocess.run(
        [GIT, "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments],
        cwd=repository,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder that git never sees as part of an enclosing repository."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def repository(isolated: Path) -> Path:
    """A throwaway git repository with the petstore committed at `api/petstore.yaml`."""
    project = isolated / "project"
    (project / "api").mkdir(parents=True)
    shutil.copy(PETSTORE, project / "api" / "petstore.yaml")
    _git(project, "init", "-q")
    _git(project, "add", "api/petstore.yaml")
    _git(project, "commit", "-q", "-m", "petstore")
    return project


def _drop_an_operation(spec: Path) -> None:
    """A breaking change (GET /pets/{petId} removed) without a major info.version bump."""
    text = spec.read_text()
    head, marker, _ = text.partition("  /pets/{petId}:\n")
    assert marker
    spec.write_text(head + "components:\n" + text.partition("\ncomponents:\n")[2])


@needs_git
def test_default_previous_is_the_same_spec_at_head(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not the project's invite spec: an unchanged petstore has no changes and generates."""
    spec, out = repository / "api" / "petstore.yaml", repository / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"compared with git:HEAD:{spec}: 0 ERR, 0 WARN, 0 INFO" in captured.out
    assert captured.err == ""
    assert (out / "swagger_petstore" / "client.py").is_file()


@needs_git
def test_default_previous_refuses_a_breaking_edit_of_the_committed_spec(
    repository: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repository)  # a path relative to the working directory, as users type it
    _drop_an_operation(repository / "api" / "petstore.yaml")
    assert main(["generate", "--spec", "api/petstore.yaml", "--out", "out"]) == 1
    err = capsys.readouterr().err
    assert "api-path-removed-without-deprecation" in err, err
    assert "--allow-breaking" in err
    assert not (repository / "out").exists()
    assert (
        main(["generate", "--spec", "api/petstore.yaml", "--out", "out", "--allow-breaking"]) == 0
    )


@needs_git
def test_untracked_spec_in_a_repository_generates_with_one_note(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = repository / "api" / "other.yaml"
    shutil.copy(PETSTORE, spec)
    out = repository / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out)]) == 0
    err_lines = capsys.readouterr().err.splitlines()
    assert len(err_lines) == 1 and "not committed in a git repository" in err_lines[0]
    assert (out / "swagger_petstore" / "models.py").is_file()


def test_spec_outside_any_repository_generates_with_one_note(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = isolated / "petstore.yaml"
    shutil.copy(PETSTORE, spec)
    assert main(["generate", "--spec", str(spec), "--out", str(isolated / "out")]) == 0
    captured = capsys.readouterr()
    assert len(captured.err.splitlines()) == 1, captured.err
    assert "compared with" not in captured.out


@needs_git
def test_explicit_previous_is_still_what_is_compared(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--previous FILE` wins over the committed spec: here it has an operation more."""
    spec, previous = repository / "api" / "petstore.yaml", repository / "previous.yaml"
    shutil.copy(spec, previous)
    _drop_an_operation(spec)
    _git(repository, "commit", "-q", "-am", "fewer operations")
    arguments = ["generate", "--spec", str(spec), "--out", str(repository / "out")]
    assert main(arguments) == 0  # HEAD has the same (smaller) spec
    capsys.readouterr()
    assert main([*arguments, "--previous", str(previous)]) == 1
    assert "--allow-breaking" in capsys.readouterr().err
    assert main([*arguments, "--previous", "none"]) == 0


def test_generate_from_another_working_directory_into_a_new_nested_folder(
    isolated: Path,
) -> None:
    """The console script run elsewhere than the project, with an absolute spec and a missing
    --out (and its parents): it generates, and the package imports."""
    out = isolated / "not" / "yet" / "there"
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(isolated)}
    command = ["generate", "--spec", str(PETSTORE), "--out", str(out)]
    completed = subprocess.run(
        [sys.executable, "-m", "generator.cli", *command],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert (out / "swagger_petstore" / "client.py").is_file()
    assert list(elsewhere.iterdir()) == []  # nothing written where the command ran
    imported = subprocess.run(
        [sys.executable, "-c", "import swagger_petstore.client; print('ok')"],
        cwd=out,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.stdout.strip() == "ok", imported.stderr
