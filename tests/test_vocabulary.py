"""One keyword vocabulary: the IR, the compiler and the format checks read `generator.vocabulary`.

Each test fails if one side learns or forgets a keyword (or a format) the other does not.
"""

from __future__ import annotations

import ast
from pathlib import Path

from generator import vocabulary
from generator.ir import schema as ir_schema
from generator.jsonschema.dispatch import KEYWORD_HANDLERS
from generator.jsonschema.formats import FORMATS
from generator.strategies.scalars import FORMAT_STRATEGIES

ROOT = Path(__file__).resolve().parents[1]
# Keyword names that, written as string literals in a module, mean it keeps a keyword table.
TABLE_MARKERS = frozenset({"patternProperties", "dependentSchemas", "prefixItems", "propertyNames"})


def test_the_ir_accepts_exactly_the_portable_keywords() -> None:
    converters = set(ir_schema._CONVERTERS)
    assert converters == vocabulary.PORTABLE_KEYWORDS


def test_every_portable_keyword_that_validates_has_a_compiler_handler() -> None:
    validating = vocabulary.PORTABLE_KEYWORDS - vocabulary.ANNOTATIONS
    assert validating - KEYWORD_HANDLERS.keys() == set()


def test_every_compiler_keyword_belongs_to_a_dialect() -> None:
    known = set().union(*(dialect.keywords for dialect in vocabulary.DIALECTS.values()))
    assert KEYWORD_HANDLERS.keys() - known == set()


def test_refused_keywords_are_ones_a_spec_could_write() -> None:
    openapi = vocabulary.DIALECTS["openapi3.1"].keywords | vocabulary.ANNOTATIONS | {"nullable"}
    assert set(vocabulary.PORTABLE_REFUSED) <= openapi


def test_asserted_formats_are_checked_by_the_compiler_and_drawn_by_strategies() -> None:
    assert set(vocabulary.ASSERTED_FORMATS) <= set(FORMATS)
    assert set(vocabulary.ASSERTED_FORMATS) == set(FORMAT_STRATEGIES)
    assert not set(vocabulary.ASSERTED_FORMATS) & set(vocabulary.OPENAPI_FORMATS)


def test_the_subschema_shapes_partition_the_portable_keywords() -> None:
    shapes = (
        vocabulary.PORTABLE_SCHEMA_MAPS,
        vocabulary.PORTABLE_SCHEMA_LISTS,
        vocabulary.PORTABLE_SCHEMA_VALUES,
        vocabulary.PORTABLE_VALUES,
        frozenset({"$ref"}),
    )
    assert sum(len(shape) for shape in shapes) == len(vocabulary.PORTABLE_KEYWORDS)
    assert frozenset().union(*shapes) == vocabulary.PORTABLE_KEYWORDS


def _tables_outside_the_vocabulary() -> list[str]:
    """Modules of the IR and the mock that spell a keyword table of their own."""
    found = []
    for folder in ("generator/ir", "generator/mock"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
                    words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                    if len(words & TABLE_MARKERS) >= 2:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_keyword_table_beside_the_vocabulary() -> None:
    assert _tables_outside_the_vocabulary() == []
