"""Diff inputs: a spec argument (a file, or `git:REV:path`) -> `ResolvedSpec` (OpenAPI 3.x, every
keyword the differ reads of the right JSON type: `shape`).

`git:REV:path` is read with `git show REV:path` into a temporary folder, together with every file
it references through relative `$ref`s (found by loading each fetched file), so a spec split over
several files resolves as it did at REV. Locations then read `git:REV:path:line:col`, never the
temporary folder.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.diff.shape import shape_errors
from generator.errors import SpecError, SpecErrors
from generator.spec.loader import SpecDocument, display_path_for, load_document
from generator.spec.refs import Origin, ResolvedSpec, iter_refs, resolve_spec

GIT_PREFIX = "git:"
# A spec and the files it references are a handful; more means a runaway `$ref` graph.
MAX_GIT_FILES = 200
# `openapi: 3.0.3`, `3.1.0`, `3.1` (a string: YAML reads an unquoted 3.1 as a number, caught below).
_OPENAPI_3 = re.compile(r"^3\.\d+(\.\d+)?(-[0-9A-Za-z.-]+)?$")
# A revision is a ref name, a hash or `HEAD~2`-style; never an option (`--output=...`), a space, a
# control character or a `:` (which would split `git:REV:path` differently than the user meant).
_REVISION = re.compile(r"^[^-\s:\x00-\x1f\x7f][^\s:\x00-\x1f\x7f]*$")


@dataclass(frozen=True)
class GitSource:
    """A spec at a git revision: `git:REV:path`, path relative to the working directory."""

    revision: str
    path: str
    # Where git runs (the working directory when None): the folder of a spec named by the default
    # `--previous`, so `generate` compares a spec with its own HEAD from any working directory.
    directory: Path | None = None

    @property
    def label(self) -> str:
        """How the user wrote it."""
        return f"{GIT_PREFIX}{self.revision}:{self.path}"


class _GitError(Exception):
    """git failed; carries its message."""


def parse_git_source(argument: str) -> GitSource | None:
    """`git:REV:path` -> `GitSource`; None for a plain file path."""
    if not argument.startswith(GIT_PREFIX):
        return None
    revision, _, path = argument[len(GIT_PREFIX) :].partition(":")
    return GitSource(revision, path)


def head_source(spec: Path) -> GitSource | None:
    """The spec file as committed at git HEAD; None when git cannot say (git missing, the file
    outside a repository, untracked, or no commit yet)."""
    folder = spec.resolve().parent
    try:
        git = _git_runner(folder)
        top_level = Path(git("rev-parse", "--show-toplevel").decode().strip()).resolve()
        path = spec.resolve().relative_to(top_level).as_posix()
        git("cat-file", "-e", f"HEAD:{path}")
    except (_GitError, OSError, ValueError):
        return None
    return GitSource("HEAD", str(spec), directory=folder)


def load_spec(argument: str | Path | GitSource) -> ResolvedSpec:
    """Load and resolve a spec file or `git:REV:path`; raise `SpecErrors` when it is unusable."""
    if isinstance(argument, GitSource):
        resolved = _load_from_git(argument)
    else:
        source = parse_git_source(argument) if isinstance(argument, str) else None
        resolved = resolve_spec(Path(argument)) if source is None else _load_from_git(source)
    problem = openapi_version_problem(resolved.data)
    if problem is not None:
        pointer, message = problem
        raise SpecErrors([resolved.error(pointer, message)])
    # A mistyped keyword would read as absent and the diff would report a change that is not one.
    errors = shape_errors(resolved)
    if errors:
        raise SpecErrors(errors)
    return resolved


def openapi_version_problem(data: dict[str, object]) -> tuple[str, str] | None:
    """(pointer, message) when `data` is not an OpenAPI 3.x document, else None."""
    version = data.get("openapi")
    if "swagger" in data and version is None:
        return "#/swagger", (
            f"Swagger {str(data['swagger'])[:20]!r} is not supported: invitegen diff compares "
            "OpenAPI 3.0/3.1 documents (convert it first, for example with swagger2openapi)"
        )
    if version is None:
        return "#", "not an OpenAPI document: it has no `openapi: 3.x` field"
    if not isinstance(version, str) or not _OPENAPI_3.fullmatch(version):
        shown = str(version)[:20]
        hint = " (quote it: a bare 3.1 is a YAML number)" if isinstance(version, float) else ""
        return "#/openapi", f"unsupported OpenAPI version {shown!r}: expected a string 3.x{hint}"
    return None


def _load_from_git(source: GitSource) -> ResolvedSpec:
    if not source.revision or not source.path:
        raise _git_failure(
            source.label, "expected git:REV:path, for example git:HEAD~1:spec/driveitem-invite.yaml"
        )
    if not _REVISION.fullmatch(source.revision):
        raise _git_failure(
            source.label,
            f"invalid revision {source.revision!r}: a revision may not start with `-` "
            "or contain spaces or control characters",
        )
    try:
        git = _git_runner(source.directory)
        repository_path = _repository_path(git, source.path)
    except _GitError as error:
        raise _git_failure(source.label, str(error)) from None
    label_prefix = f"{GIT_PREFIX}{source.revision}:"
    with tempfile.TemporaryDirectory(prefix="invitegen-diff-") as temporary:
        root = Path(temporary).resolve()
        try:
            _fetch(git, source.revision, repository_path, root)
        except _GitError as error:
            raise _git_failure(source.label, str(error)) from None
        prefixes = (f"{root.as_posix()}/", f"{display_path_for(root)}/")
        relabel = _relabeller(prefixes, label_prefix)
        try:
            resolved = resolve_spec(root / repository_path)
        except SpecErrors as failure:
            raise SpecErrors(
                replace(error, file=relabel(error.file)) for error in failure.errors
            ) from None
    return _relabel(resolved, relabel)


def _git_failure(label: str, message: str) -> SpecErrors:
    return SpecErrors([SpecError(label, 1, 1, "#", f"cannot read spec from git: {message}")])


def _git_runner(directory: Path | None = None) -> Callable[..., bytes]:
    executable = shutil.which("git")
    if executable is None:
        raise _GitError("git is not installed (not found on PATH)")

    def run(*arguments: str) -> bytes:
        # Arguments are a fixed git subcommand plus the user's own revision and path; no shell.
        completed = subprocess.run(  # noqa: S603
            [executable, *arguments], capture_output=True, check=False, cwd=directory
        )
        if completed.returncode != 0:
            raise _GitError(completed.stderr.decode("utf-8", "replace").strip() or "git failed")
        return completed.stdout

    return run


def _repository_path(git: Callable[..., bytes], path: str) -> str:
    """The path relative to the repository root, as `git show REV:path` wants it."""
    top_level = Path(git("rev-parse", "--show-toplevel").decode().strip()).resolve()
    absolute = Path(os.path.normpath(Path.cwd().resolve() / path))
    try:
        return absolute.relative_to(top_level).as_posix()
    except ValueError:
        raise _GitError(f"{path} is outside the repository {top_level}") from None


def _fetch(git: Callable[..., bytes], revision: str, repository_path: str, root: Path) -> None:
    """Write the spec and every file it references (relative `$ref`s) under `root`."""
    folder = posixpath.dirname(repository_path)
    pending, fetched = [repository_path], set[str]()
    while pending and len(fetched) < MAX_GIT_FILES:
        path = pending.pop()
        if path in fetched:
            continue
        fetched.add(path)
        try:
            # `--end-of-options`: whatever the revision says, git reads it as a revision.
            content = git("show", "--end-of-options", f"{revision}:{path}")
        except _GitError:
            if path == repository_path:
                raise
            continue  # resolve_spec reports the missing file at the `$ref` that names it
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        pending.extend(_referenced_files(target, path, folder))


def _referenced_files(target: Path, path: str, folder: str) -> list[str]:
    try:
        document = load_document(target)
    except SpecErrors:
        return []  # resolve_spec reports the problem with its location
    files = []
    for ref, _ in iter_refs(document.data):
        file_part = ref.partition("#")[0]
        if not file_part or "://" in file_part or file_part.startswith("/"):
            continue
        referenced = posixpath.normpath(posixpath.join(posixpath.dirname(path), file_part))
        if not folder or referenced.startswith(f"{folder}/"):
            files.append(referenced)
    return files


def _relabeller(prefixes: tuple[str, ...], label_prefix: str) -> Callable[[str], str]:
    def relabel(display_path: str) -> str:
        for prefix in prefixes:
            if display_path.startswith(prefix):
                return label_prefix + display_path[len(prefix) :]
        return display_path

    return relabel


def _relabel(resolved: ResolvedSpec, relabel: Callable[[str], str]) -> ResolvedSpec:
    """The same spec with every document's display path rewritten (temporary folder -> git:REV:)."""
    documents: dict[int, SpecDocument] = {}

    def swap(document: SpecDocument) -> SpecDocument:
        if id(document) not in documents:
            documents[id(document)] = replace(document, display_path=relabel(document.display_path))
        return documents[id(document)]

    origins = {
        pointer: Origin(swap(origin.document), origin.pointer)
        for pointer, origin in resolved.origins.items()
    }
    return replace(resolved, root=swap(resolved.root), origins=origins)
