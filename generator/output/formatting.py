"""black, made affordable: cached by content hash per top-level chunk, parallel on a cold cache.

Formatting is most of a generation's time (issue #6). Two caches sit in front of black, both
keyed by sha256 of black's version and settings plus the text:
- the whole file: an unchanged file costs one hash and one read;
- each top-level chunk (a run of statements ending before a module-level `def`/`class`): when
  the spec changes, only the functions and classes whose text changed go through black again.
Chunks that miss both caches are formatted together, in worker processes when there are many.

Chunking is exact, not an approximation: black formats a module-level `def`/`class` (with its
decorators and the comments attached above it) independently of what precedes it, apart from
the blank lines in between, which are always two at module level when the source has at least
one blank line there. The places where black decides otherwise are never split: right after a
module docstring (black keeps one blank line before a decorator or comment there) and where
the source has no blank line (black keeps stub `def f(): ...` overloads together). `make lint`
runs `black --check` on the generated tree, and tests compare chunked and whole-file output.
"""

from __future__ import annotations

import ast
import functools
import gc
import hashlib
import os
import sys
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from generator.output.layout import LAYOUT_VERSION, LINE_LENGTH, lay_out

if TYPE_CHECKING:
    import black

# black is imported only when some text misses the cache: the import alone costs about 0.2 s,
# more than a whole generation run whose files are all cached. The cache key therefore names
# the mode by these settings rather than by black's `Mode` object.
BLACK_LINE_LENGTH = LINE_LENGTH
BLACK_TARGET = "py310"
# Below this many characters to format, worker processes cost more than they save.
PARALLEL_MIN_CHARS = 40_000
_SEPARATOR = "\n\n"  # appended to a formatted chunk (which ends in "\n"): two blank lines


def cache_dir(name: str) -> Path:
    """invitegen's cache folder `name` under `$XDG_CACHE_HOME` (default `~/.cache`); not created."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "invitegen" / name


@functools.cache
def _black_version() -> str:
    # black's own version module is tiny; importlib.metadata costs ~15 ms to import and query.
    try:
        from _black_version import version  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:  # pragma: no cover - a black build without the module
        from importlib.metadata import version as distribution_version

        return distribution_version("black")
    return str(version)


@functools.cache
def _black_mode() -> black.Mode:
    import black
    from black.mode import TargetVersion

    return black.Mode(
        line_length=BLACK_LINE_LENGTH, target_versions={TargetVersion[BLACK_TARGET.upper()]}
    )


def _format_one(source: str) -> str:
    """black on `source`, laid out first as black lays it out (`layout`): black's first pass then
    changes nothing and `format_str` skips its second. Only texts that miss the caches get here,
    so a warm run pays for neither."""
    import black

    return black.format_str(lay_out(source), mode=_black_mode())


def _key(source: str) -> str:
    settings = f"{_black_version()}\0{BLACK_LINE_LENGTH}\0{BLACK_TARGET}\0{LAYOUT_VERSION}"
    return hashlib.sha256(f"{settings}\0{source}".encode()).hexdigest()


def _read(key: str) -> str | None:
    try:
        return (cache_dir("black") / f"{key}.py").read_text(encoding="utf-8")
    except OSError:
        return None


def _store(key: str, formatted: str) -> None:
    cached = cache_dir("black") / f"{key}.py"
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(formatted, encoding="utf-8")
        temporary.replace(cached)
    except OSError:
        pass  # a read-only home only costs speed


def split_chunks(source: str) -> list[str]:
    """`source` cut before module-level `def`/`class` statements where black's output is the
    same whether the pieces are formatted apart or together; "".join(result) == source."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return [source]  # black reports the error with its own position
    lines = source.splitlines(keepends=True)
    cuts: list[int] = []
    for index, statement in enumerate(body):
        if index == 0 or not isinstance(
            statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            continue
        if index == 1 and _is_docstring(body[0]):
            continue
        start = min([statement.lineno, *(d.lineno for d in statement.decorator_list)]) - 1
        while start > 0 and lines[start - 1].lstrip().startswith("#"):
            start -= 1  # comments directly above belong to the definition
        previous_end = body[index - 1].end_lineno or 0
        if start <= previous_end or lines[start - 1].strip():
            continue  # no blank line before it (or a comment shared with the statement above)
        cuts.append(start)
    bounds = [0, *cuts, len(lines)]
    return ["".join(lines[begin:end]) for begin, end in pairwise(bounds)]


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def join_chunks(formatted: Sequence[str]) -> str:
    """Formatted chunks back into one module: two blank lines between them, as black puts."""
    return _SEPARATOR.join(piece for piece in formatted if piece)


def format_sources(sources: Sequence[str]) -> list[str]:
    """black applied to every source (each a whole module), through both caches."""
    keys = [_key(source) for source in sources]
    results: list[str | None] = [_read(key) for key in keys]
    # A chunk goes to black without the blank lines that end it (black would drop them at the
    # end of a text, and `join_chunks` puts its own): an emitted chunk that is black's layout
    # already then comes back unchanged from black's first pass, which skips the second.
    chunked = {
        index: [chunk.rstrip("\n") + "\n" for chunk in split_chunks(source)]
        for index, source in enumerate(sources)
        if results[index] is None
    }
    chunk_keys = {index: [_key(chunk) for chunk in chunks] for index, chunks in chunked.items()}
    formatted_chunks = {key: _read(key) for keys_ in chunk_keys.values() for key in keys_}
    missing: dict[str, str] = {}
    for index, chunks in chunked.items():
        for key, chunk in zip(chunk_keys[index], chunks, strict=True):
            if formatted_chunks[key] is None:
                missing[key] = chunk
    for key, formatted in zip(missing, _format_many(list(missing.values())), strict=True):
        formatted_chunks[key] = formatted
        _store(key, formatted)
    for index in chunked:
        text = join_chunks([formatted_chunks[key] or "" for key in chunk_keys[index]])
        results[index] = text
        _store(keys[index], text)
    return [text or "" for text in results]


def format_python(source: str) -> str:
    """black applied to one module, through both caches."""
    return format_sources([source])[0]


def _format_many(sources: list[str]) -> list[str]:
    """black on each text; in worker processes (forked, black already imported) when it pays.

    Workers are an optimisation only: when they cannot be started or die, or when this process
    runs other threads (forking those is unsafe), the texts are formatted here instead. An error
    black raises for a text is raised either way.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(cores or 1, len(sources))
    if workers < 2 or sum(map(len, sources)) < PARALLEL_MIN_CHARS or sys.platform != "linux":
        # A warm or spec-edited run gets here with a few chunks or none: it does not import
        # multiprocessing (about 10 ms).
        return [_format_one(source) for source in sources]
    import multiprocessing
    import threading

    if (
        "fork" not in multiprocessing.get_all_start_methods()
        # A fork copies one thread: a lock another thread holds would stay held in the worker.
        or threading.active_count() > 1
    ):
        return [_format_one(source) for source in sources]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import black  # noqa: F401  imported before the fork: the workers inherit it

    _black_mode()
    # Largest first, so that no worker is left with one long text at the end.
    order = sorted(range(len(sources)), key=lambda index: -len(sources[index]))
    # Everything alive now is out of the collector's reach in the workers: their collections
    # (black builds many cyclic trees) then never walk, and so never copy, the pages they share
    # with this process. About 8% less CPU in the workers on the invite spec (4.2 s, was 4.6 s).
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            done = pool.map(_format_one, [sources[index] for index in order], chunksize=4)
            by_index = dict(zip(order, done, strict=True))
    except (OSError, BrokenProcessPool):  # no processes to be had (limits, memory): go on here
        return [_format_one(source) for source in sources]
    finally:
        gc.unfreeze()
    return [by_index[index] for index in range(len(sources))]
