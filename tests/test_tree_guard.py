"""The guard that fails a run whose tests wrote into the source tree sees what it must see."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.tree_guard import tree_state, written


def git(folder: Path, *arguments: str) -> None:
    identity = ("-c", "user.name=invitegen", "-c", "user.email=invitegen@example.com")
    command = ["git", *identity, *arguments]
    subprocess.run(command, cwd=folder, check=True, capture_output=True, timeout=60)


def test_new_and_changed_files_are_seen_ignored_ones_are_not(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("cache/\n")
    (tmp_path / "kept.txt").write_text("one\n")
    (tmp_path / "edited.txt").write_text("draft\n")  # already dirty before the run
    git(tmp_path, "add", ".gitignore", "kept.txt")
    git(tmp_path, "commit", "-q", "-m", "start")
    before = tree_state(tmp_path)
    assert before is not None

    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "entry").write_text("ignored\n")
    assert written(before, tree_state(tmp_path) or {}) == []

    (tmp_path / "kept.txt").write_text("two\n")
    (tmp_path / "edited.txt").write_text("draft, changed by a test\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "new.txt").write_text("new\n")
    assert written(before, tree_state(tmp_path) or {}) == [
        " M kept.txt",
        "?? edited.txt",
        "?? sub/new.txt",
    ]


def test_outside_a_checkout_there_is_nothing_to_guard(tmp_path: Path) -> None:
    assert tree_state(tmp_path / "missing") is None
