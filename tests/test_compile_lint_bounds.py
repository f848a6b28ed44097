"""The lint exemptions of compiled modules are read from bounds where possible (issue 17 item 6).

`lint_exemptions` decides a rule without parsing when a function's lines already show it is
exceeded (`_lower_bound`), and parses only when they say it could be (`_upper_bound`). The
bounds must hold for every function the compiler writes, or an exemption would be missing or
one too many (either is a lint error in the emitted module).
"""

from __future__ import annotations

import ast
import re

import pytest

from generator.emit.validators import compile_schema
from generator.jsonschema.writer import (
    _count_branches,
    _count_returns,
    _count_statements,
    _lower_bound,
    _upper_bound,
)
from tests.test_compile_schema import unfold
from tests.test_schema_corpus import CORPUS, read_json, registry_documents

COUNTERS = {"PLR0911": _count_returns, "PLR0912": _count_branches, "PLR0915": _count_statements}
_FUNCTION_START = re.compile(r"^(?=def )", re.MULTILINE)


@pytest.mark.parametrize("name", ["gitlab-ci", "travis"])
def test_line_bounds_enclose_the_parsed_counts(name: str) -> None:
    schema = read_json(CORPUS / "schemas" / f"{name}.json")
    source = compile_schema(schema, registry=registry_documents())
    # The module's own functions (up to the deferred functions' source), then the deferred ones.
    code = source.partition("\n_DEFERRED: Final")[0] + unfold(source)[len(source) :]
    functions = [
        block.rstrip("\n") for block in _FUNCTION_START.split(code) if block.startswith("def _")
    ]
    decided_by_lines = 0
    for block in functions:
        definition = ast.parse(block).body[0]
        assert isinstance(definition, ast.FunctionDef)
        for code, counter in COUNTERS.items():
            counted = counter(definition.body)
            assert _lower_bound(code, block) <= counted <= _upper_bound(code, block), (code, block)
            decided_by_lines += _lower_bound(code, block) > 0
    assert decided_by_lines  # big schemas do have functions the lines decide


def test_lower_bound_gives_up_on_statements_the_counters_do_not_descend() -> None:
    block = "def _f(data):\n    '''Doc.'''\n    try:\n        if data:\n            return 1\n"
    block += "    except ValueError:\n        return 2\n"
    assert all(_lower_bound(code, block) == 0 for code in COUNTERS)
