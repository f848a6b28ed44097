"""generator.output.formatting: chunked, cached, parallel black gives exactly black's whole-file output."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.output import formatting
from generator.output.formatting import format_sources, join_chunks, split_chunks

MODE = black.Mode(line_length=formatting.BLACK_LINE_LENGTH)

# Top-level pieces whose blank-line handling black treats specially: module docstrings, comments
# attached to (or detached from) definitions, decorators, stub overloads, imports, conditional
# definitions, classes with bodies, and long lines black must split.
DOCSTRING = '"""Module docstring."""\n'
SNIPPETS = [
    DOCSTRING,
    "import os\n",
    "from typing import overload\n",
    "X = 1\n",
    "# a comment on its own\n",
    "# attached comment\ndef attached(a, b):\n    return a+b\n",
    "@overload\ndef f(x: int) -> int: ...\n",
    "@overload\ndef f(x: str) -> str: ...\n",
    "def f(x):\n  return x\n",
    "def stub(): ...\n",
    "async def g():\n    await   h()\n",
    "class C:\n    a: int = 1\n    def m(self):  return 1\n",
    "class Empty: pass\n",
    "@decorator\n# between\nclass D(Base,):\n    '''Doc.'''\n",
    "if X:\n    def cond():\n        pass\nelse:\n    def cond():\n        pass\n",
    "try:\n    import json\nexcept ImportError:\n    json = None\n",
    "def long(argument_one, argument_two, argument_three, argument_four, argument_five, six):\n"
    "    return {'key': argument_one, 'other': [argument_two, argument_three, argument_four]}\n",
    "VALUES = [  # trailing comment\n    1,\n    2\n]\n",
]


def chunked(source: str) -> str:
    """What format_sources builds from the chunks, without the caches."""
    return join_chunks([black.format_str(chunk, mode=MODE) for chunk in split_chunks(source)])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(SNIPPETS), st.integers(min_value=0, max_value=3)),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_chunked_black_equals_whole_file_black(
    parts: list[tuple[str, int]], docstring: bool
) -> None:
    source = (DOCSTRING if docstring else "") + "".join(
        "\n" * blanks + snippet for snippet, blanks in parts
    )
    assert "".join(split_chunks(source)) == source
    assert chunked(source) == black.format_str(source, mode=MODE)


@pytest.mark.parametrize(
    ("source", "pieces"),
    [
        # A decorator right after the module docstring gets one blank line from black: no cut.
        ('"""Doc."""\n\n@d\ndef f(): pass\n', 1),
        # No blank line before a definition (stub overloads): no cut.
        ("def a(): ...\ndef b(): ...\n", 1),
        ("X = 1\n\n# about f\ndef f(): pass\n\nclass C: pass\n", 3),
        ("def broken(:\n", 1),
    ],
)
def test_where_sources_are_cut(source: str, pieces: int) -> None:
    assert len(split_chunks(source)) == pieces
    assert "".join(split_chunks(source)) == source


def test_generated_modules_format_the_same_chunked() -> None:
    """The committed modules are black output; formatted chunk by chunk they must not change."""
    root = Path(__file__).resolve().parents[1] / "generated" / "graph_invite"
    for name in ("models.py", "requests.py", "transport.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert len(split_chunks(text)) > 10
        assert chunked(text) == text, name


def test_caches_and_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sources = [
        "".join(f"def f{n}_{i}(a,b):\n  return a+b\n\n\n" for i in range(30)) for n in range(3)
    ]
    expected = [black.format_str(source, mode=MODE) for source in sources]
    monkeypatch.setattr(formatting, "PARALLEL_MIN_CHARS", 0)  # worker processes even for this
    assert format_sources(sources) == expected
    assert gc.get_freeze_count() == 0  # frozen for the fork only: this process collects again
    cached = {path.name for path in (tmp_path / "invitegen" / "black").iterdir()}
    assert len(cached) == 3 + 3 * 30  # every file and every chunk

    def refuse(source: str) -> str:
        raise AssertionError("black ran although everything is cached")

    monkeypatch.setattr(formatting, "_format_one", refuse)
    assert format_sources(sources) == expected
    # A changed function: the file misses, only that chunk goes through black.
    calls: list[str] = []
    monkeypatch.setattr(
        formatting, "_format_one", lambda source: calls.append(source) or source.upper()
    )
    edited = sources[0].replace("def f0_7(a,b)", "def f0_7(a, c)")
    result = format_sources([edited])[0]
    # without the blank lines that end it: black would drop them, and changing nothing is what
    # spares black's second pass
    assert calls == ["def f0_7(a, c):\n  return a+b\n"]
    assert "DEF F0_7(A, C)" in result and result.count("def f0_") == 29


def test_workers_that_cannot_start_fall_back_to_this_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import concurrent.futures

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(formatting, "PARALLEL_MIN_CHARS", 0)

    class NoProcesses:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoProcesses)
    sources = ["def f(a,b):\n  return a\n\n\ndef g():\n  pass\n", "x=[1,\n2]\n"]
    assert format_sources(sources) == [black.format_str(s, mode=MODE) for s in sources]


def test_no_workers_are_forked_beside_other_threads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import concurrent.futures
    import threading

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(formatting, "PARALLEL_MIN_CHARS", 0)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("forked beside another thread")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        sources = ["def f():\n  pass\n\n\ndef g():\n  pass\n", "x=1\n"]
        assert format_sources(sources) == [black.format_str(s, mode=MODE) for s in sources]
    finally:
        release.set()
        other.join()


def test_verbatim_modules_are_black_output_already() -> None:
    """The generator's own modules that it copies into the output skip black
    (`pipeline.verbatim_copies`): that is exact only while each is a fixed point of black with
    the generator's settings, which this checks without any cache."""
    from generator.emit.client import packaging_files, runtime_files

    copies = {**runtime_files("package", graph=True), **packaging_files()}
    assert len(copies) > 10
    for path, text in copies.items():
        assert formatting._format_one(text) == text, f"{path}: run black on generator/emit"


def test_verbatim_copies_skip_black(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A generation sends only the rendered modules to black; the copies land byte for byte."""
    from generator import pipeline
    from generator.emit.client import runtime_files
    from generator.output import writer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    formatted: list[str] = []

    def recording(sources: list[str]) -> list[str]:
        formatted.extend(sources)
        return list(sources)

    monkeypatch.setattr(writer, "format_sources", recording)
    spec = Path(__file__).resolve().parents[1] / "spec" / "driveitem-invite.yaml"
    generation = pipeline.build(spec)
    package = generation.api.package
    copies = runtime_files(package, generation.api.graph)
    assert set(copies) <= set(generation.files)
    for path, text in copies.items():
        assert text not in formatted, path
        assert generation.files[path].decode("utf-8").endswith(text), path
    assert any("def validate_" in text for text in formatted)  # rendered modules still are


def test_a_few_chunks_to_format_do_not_import_multiprocessing(tmp_path: Path) -> None:
    # A warm or spec-edited run formats a few chunks or none, in this process: importing
    # multiprocessing (about 10 ms of a 0.3 s run) would be for nothing.
    script = (
        "import sys\n"
        "from generator.output.formatting import format_sources\n"
        "assert format_sources(['x=1\\n']) == ['x = 1\\n']\n"
        "assert format_sources(['x=1\\n']) == ['x = 1\\n']  # cached\n"
        "print('multiprocessing' in sys.modules)\n"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert completed.stdout.strip() == "False"
