"""generator.jsonschema.writer.lint_exemptions: parsing only the blocks that could exceed a limit
gives what parsing the whole module gives."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.jsonschema import writer as validator_writer
from generator.jsonschema.writer import lint_exemptions
from tests.conftest import GENERATED


def reference(blocks: list[str]) -> list[str]:
    """The plain definition: parse the whole module, count in every top-level function."""
    limits = {
        "PLR0911": (validator_writer._count_returns, 6),
        "PLR0912": (validator_writer._count_branches, 12),
        "PLR0915": (validator_writer._count_statements, 50),
    }
    source = "\n\n\n".join(blocks) + "\n"
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    codes = [
        code
        for code, (counter, limit) in limits.items()
        if any(counter(function.body) > limit for function in functions)
    ]
    return sorted([*codes, *(["RUF005"] if "path + (" in source else [])])


# Statement shapes that pack several counted things into one line (the bounds' hard cases).
LINES = [
    "    if data == 1: return 1",
    "    if data == 2:\n        x = 1\n    elif data == 3: y = 2; z = 3\n    else: w = 4",
    "    for item in data: x = item",
    "    while data: data = data[1:]",
    "    a = 1; b = 2; c = 3",
    "    return data",
    "    path + (1,)",
    "    x = {'k': 1}",
]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(LINES), min_size=1, max_size=40).map(
            lambda lines: "def f(data):\n" + "\n".join(lines)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_skipping_blocks_matches_the_whole_parse(blocks: list[str]) -> None:
    assert lint_exemptions(blocks) == reference(blocks)


def test_generated_module_blocks() -> None:
    text = (GENERATED / "graph_invite" / "validators.py").read_text(encoding="utf-8")
    body = text.split('"""', 2)[2]  # after the module docstring: imports, helpers, functions
    blocks = [block for block in body.split("\n\n\n") if block.strip()]
    assert len(blocks) > 100
    assert lint_exemptions(blocks) == reference(blocks)
    header = next(line for line in text.splitlines() if line.startswith("# ruff: noqa: "))
    assert header == "# ruff: noqa: " + ", ".join(lint_exemptions(blocks))


@pytest.mark.parametrize("returns", [6, 7])
def test_a_limit_is_exceeded_only_past_it(returns: int) -> None:
    block = "def f(data):\n" + "".join(
        f"    if data == {n}:\n        return {n}\n" for n in range(returns)
    )
    assert ("PLR0911" in lint_exemptions([block])) is (returns > 6)
