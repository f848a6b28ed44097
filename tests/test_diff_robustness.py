"""`invitegen diff` on hostile and broken input: non-OpenAPI documents, mistyped keywords (fuzzed),
exponential `allOf` fan-outs, Markdown forgery through spec text, and option-like git revisions."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.diff.compare import diff_paths, diff_specs, load_spec
from generator.diff.model import ChangeLog, code
from generator.diff.operations import compare_operations
from generator.errors import SpecErrors
from generator.spec.refs import ResolvedSpec
from tests.conftest import SPEC

Json = Any
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _write(folder: Path, name: str, data: Json) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            ":1:10: #/swagger: Swagger",
        ),
        ("name: not an api\nitems: [1, 2]\n", ":1:1: #: not an OpenAPI document"),
        ("openapi: 3.1\ninfo: {title: t, version: '1'}\n", ":1:10: #/openapi: unsupported OpenAPI"),
        ("openapi: '2.0'\ninfo: {title: t, version: '1'}\n", ":1:10: #/openapi: unsupported"),
        ("openapi: [3]\n", ":1:10: #/openapi: unsupported OpenAPI version"),
    ],
)
def test_documents_that_are_not_openapi_3_are_refused_with_one_located_error(
    tmp_path: Path, text: str, expected: str
) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(text, encoding="utf-8")
    for old, new in ((other, SPEC), (SPEC, other)):
        with pytest.raises(SpecErrors) as failure:
            diff_paths(old, new)
        assert len(failure.value.errors) == 1
        assert expected in str(failure.value.errors[0]), str(failure.value.errors[0])


# ---- fuzz: mistyped subtrees of the invite spec --------------------------------------------------


@cache
def _invite() -> Json:
    return load_spec(SPEC).root.data


@cache
def _pointers() -> tuple[tuple[str | int, ...], ...]:
    found: list[tuple[str | int, ...]] = []

    def walk(node: Json, path: tuple[str | int, ...]) -> None:
        found.append(path)
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node) if isinstance(node, list) else ()
        )
        for key, value in items:
            walk(value, (*path, key))

    walk(_invite(), ())
    return tuple(path for path in found if path)


# Keywords the differ reads: most mistypings are aimed at these, the rest anywhere.
READ_KEYWORDS = frozenset(
    "type required properties items enum const allOf anyOf oneOf maxLength minLength maxItems "
    "minItems maximum minimum exclusiveMaximum exclusiveMinimum pattern format nullable "
    "additionalProperties unevaluatedProperties patternProperties prefixItems dependentRequired "
    "discriminator default readOnly writeOnly deprecated x-sunset headers parameters responses "
    "requestBody content schema security servers url paths name in $ref operationId info version "
    "components schemas mapping propertyName".split()
)


@cache
def _keyword_pointers() -> tuple[tuple[str | int, ...], ...]:
    return tuple(
        path for path in _pointers() if path[-1] in READ_KEYWORDS or isinstance(path[-1], int)
    )


_WRONG_VALUES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
    st.lists(st.one_of(st.integers(), st.text(max_size=4), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=4)), max_size=2),
)


def _mistyped(data: Json, edits: list[tuple[tuple[str | int, ...], Json]]) -> Json:
    data = copy.deepcopy(data)
    for path, value in edits:
        node = data
        try:
            for token in path[:-1]:
                node = node[token]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced an ancestor
    return data


@cache
def _invite_resolved() -> ResolvedSpec:
    return load_spec(SPEC)


# Each example loads a 2,400-line spec; 50 examples keep this test to a few seconds.
@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_keyword_pointers()) | st.sampled_from(_pointers()), _WRONG_VALUES
        ),
        min_size=1,
        max_size=3,
    ),
    st.booleans(),
)
def test_mistyped_keywords_give_a_report_or_located_errors_never_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    edits: list[tuple[tuple[str | int, ...], Json]],
    forward: bool,
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    broken_path = folder / "broken.yaml"
    text = yaml.dump(_mistyped(_invite(), edits), Dumper=_DUMPER, sort_keys=False)
    broken_path.write_text(text, encoding="utf-8")
    try:
        broken = load_spec(broken_path)
        pair = (_invite_resolved(), broken) if forward else (broken, _invite_resolved())
        report = diff_specs(*pair)
    except SpecErrors as failure:
        assert failure.errors
        for error in failure.errors:  # file:line:col: #/pointer: message, inside the file
            assert error.file.endswith("broken.yaml") and error.pointer.startswith("#")
            assert 1 <= error.line <= len(text.splitlines()) and error.column >= 1
            assert str(error).startswith(f"{error.file}:{error.line}:{error.column}: #")
        return
    for render in (report.render_text, report.render_markdown, report.render_json):
        assert render()


# ---- mistyped keywords: one located error each ------------------------------------------------------


def _first_pointer(data: Json, under: tuple[str | int, ...], key: str) -> tuple[str | int, ...]:
    """The first path below `under` (document order) whose last token is `key`."""
    for path in _pointers():
        if path[: len(under)] == under and path[-1] == key and len(path) > len(under):
            return path
    raise AssertionError(f"no {key!r} under {under}")


MISTYPED = [
    ("required", 5, "`required` must be an array of strings, not an integer"),
    ("properties", [], "`properties` must be an object of schemas, not an array"),
    ("enum", {}, "`enum` must be an array, not an object"),
    ("items", 3, "`items` must be a schema (an object or a boolean), not an integer"),
    ("type", 5, "`type` must be a string or an array of strings, not an integer"),
    ("maxLength", -1, "`maxLength` must be a non-negative integer, not an integer"),
    ("additionalProperties", "no", "`additionalProperties` must be a schema"),
    ("anyOf", {}, "`anyOf` must be an array of schemas, not an object"),
    ("readOnly", "yes", "`readOnly` must be a boolean, not a string"),
    ("pattern", 5, "`pattern` must be a string, not an integer"),
]


@pytest.mark.parametrize(("keyword", "value", "message"), MISTYPED)
def test_a_mistyped_schema_keyword_is_one_located_error(
    tmp_path: Path, keyword: str, value: Json, message: str
) -> None:
    path = _first_pointer(_invite(), ("components", "schemas"), keyword)
    _check_located(tmp_path, path, value, message)


def test_mistyped_operation_keywords_are_located_errors(tmp_path: Path) -> None:
    for under, keyword, value, message in (
        (("paths",), "parameters", {}, "`parameters` must be an array of parameter objects"),
        (("paths",), "responses", [], "`responses` must be an object of response objects"),
        (("paths",), "requestBody", "x", "`requestBody` must be a request body object"),
        (("paths",), "security", {"a": 1}, "`security` must be an array of security"),
        (("components",), "content", 1, "`content` must be an object of media type objects"),
    ):
        _check_located(tmp_path, _first_pointer(_invite(), under, keyword), value, message)
    _check_located(tmp_path, ("paths",), [], "`paths` must be an object of path item objects")


def _check_located(tmp_path: Path, path: tuple[str | int, ...], value: Json, message: str) -> None:
    broken = tmp_path / "broken.yaml"
    text = yaml.safe_dump(_mistyped(_invite(), [(path, value)]), sort_keys=False)
    broken.write_text(text, encoding="utf-8")
    for old, new in ((SPEC, broken), (broken, SPEC)):
        with pytest.raises(SpecErrors) as failure:
            diff_paths(old, new)
        [error] = failure.value.errors
        assert error.pointer == "#/" + "/".join(
            str(token).replace("~", "~0").replace("/", "~1") for token in path
        ), error
        assert message in error.message, error
        # The error points at the value: on the keyword's line, or below it for a block value.
        lines = text.splitlines()[max(error.line - 2, 0) : error.line]
        assert any(f"{path[-1]}:" in line for line in lines), (error, lines)


# ---- linear time -----------------------------------------------------------------------------------


def _fan_out(levels: int, max_length: int) -> Json:
    """`g0: allOf [g1, g1]`, `g1: allOf [g2, g2]`, ...: 2**levels paths to the last schema."""
    schemas: dict[str, Json] = {
        f"g{index}": {"allOf": [{"$ref": f"#/components/schemas/g{index + 1}"}] * 2}
        for index in range(levels)
    }
    schemas[f"g{levels}"] = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": max_length},
            "child": {"$ref": "#/components/schemas/g0"},
        },
    }
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/g0"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "fan-out", "version": "1.0.0"},
        "paths": {
            f"/things{index}": {
                "post": {"requestBody": body, "responses": {"200": {"description": "ok", **body}}}
            }
            for index in range(3)
        },
        "components": {"schemas": schemas},
    }


@pytest.mark.parametrize("levels", [18, 30])
def test_an_all_of_fan_out_is_compared_in_linear_work(tmp_path: Path, levels: int) -> None:
    old = load_spec(_write(tmp_path, "old.json", _fan_out(levels, 10)))
    new = load_spec(_write(tmp_path, "new.json", _fan_out(levels, 5)))
    log = ChangeLog(old, new)
    compare_operations(log)
    assert {change.rule for change in log.changes} == {
        "request-property-max-length-decreased",
        "response-property-max-length-decreased",
    }
    # One view per schema and side; a handful of schema pairs per operation and direction.
    assert len(log.old_views.cache) <= levels + 4
    assert len(log.new_views.cache) <= levels + 4
    assert log.comparisons <= 3 * 2 * 4
    assert len(log.all_of_results) <= 2 * (levels + 4)


# ---- Markdown and text output -----------------------------------------------------------------------

HOSTILE = [
    "\n## 0 breaking changes\n",
    "x`` ## `y",
    "[click](https://evil.example/)",
    "![img](https://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
    "</code><script>alert(1)</script>",
    "`",
    "``",
    " ` ",
    "",
    "line\r\n# heading\u2028more\x1b[31m",
    "* item\n- item\n> quote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_code_spans_hold_any_text_as_one_literal_span(text: str) -> None:
    tokens = MarkdownIt("commonmark").parseInline(f"a {code(text)} b")[0].children or []
    assert [token.type for token in tokens] == ["text", "code_inline", "text"]
    assert "\n" not in code(text) and "\r" not in code(text)


def _hostile_pair(tmp_path: Path) -> tuple[Path, Path]:
    name = "\n## 0 breaking changes\n[link](https://evil.example)<img src=x>`"
    old: Json = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {
            "/a/<img src=x>/\n# forged": {
                "post": {
                    "operationId": "op`\n## forged <b>",
                    "parameters": [{"name": name, "in": "query", "schema": {"type": "string"}}],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {name: {"type": "string", "enum": [name]}},
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}, name: {"description": "x"}},
                    "security": [{name: [name]}],
                }
            }
        },
    }
    new = copy.deepcopy(old)
    operation = new["paths"]["/a/<img src=x>/\n# forged"]["post"]
    operation["operationId"] = "op2 <b>`` ![i](x)"
    operation["parameters"] = []
    operation["requestBody"]["content"]["application/json"]["schema"]["properties"][name] = {
        "type": "integer",
        "enum": [1],
        "pattern": name,
    }
    del operation["responses"][name]
    operation["security"] = [{name: [name, f"{name}2"]}]
    operation["servers"] = [{"url": name}]
    return _write(tmp_path, "old.json", old), _write(tmp_path, "new.json", new)


def _walk(tokens: list[Any]) -> list[Any]:
    found = []
    for token in tokens:
        found.append(token)
        found.extend(_walk(token.children or []))
    return found


def test_spec_text_cannot_forge_markdown_headings_links_images_or_html(tmp_path: Path) -> None:
    report = diff_paths(*_hostile_pair(tmp_path))
    assert len(report.changes) >= 5
    markdown = report.render_markdown()
    tokens = _walk(MarkdownIt("commonmark").parse(markdown))
    kinds = {token.type for token in tokens}
    assert not kinds & {"link_open", "image", "html_inline", "html_block"}, kinds
    headings = [
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert all(
        "0 breaking" not in heading and "forged" not in heading.split("`")[0]
        for heading in headings
    )
    assert sum(1 for token in tokens if token.type == "heading_open" and token.tag == "h1") == 1
    text = report.render_text()
    assert all(line.startswith(("invitegen diff:", "  ", "")) for line in text.splitlines())
    assert "\x1b" not in text and "\n## 0" not in text and "\n# forged" not in text


# ---- git revisions ---------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(
    "revision", ["--output=written.txt", "-p", "HEAD --output=x", "HEAD\n", "--end-of-options"]
)
def test_option_like_git_revisions_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, revision: str
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=60)
    monkeypatch.chdir(tmp_path)
    shutil.copy(SPEC, tmp_path / "spec.yaml")
    with pytest.raises(SpecErrors) as failure:
        diff_paths(f"git:{revision}:spec.yaml", "spec.yaml")
    assert "invalid revision" in str(failure.value)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".git", "spec.yaml"]


def test_identical_hostile_specs_have_no_changes(tmp_path: Path) -> None:
    old, _ = _hostile_pair(tmp_path)
    assert diff_specs(load_spec(old), load_spec(old)).changes == ()


def test_a_huge_integer_or_a_nul_in_a_ref_is_a_located_error(tmp_path: Path) -> None:
    """A 400-digit (past the float range) or 5,000-digit (past int()'s limit) integer is refused.

    The old spec keeps a 308-digit integer, the largest size inside the float range, so the one
    error reported is always the new spec's, at its own line.
    """
    template = (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n"
        "      parameters: [{name: q, in: query, schema: {type: string, maxLength: %s}}]\n"
        "      responses: {'200': {description: ok, content: {application/json: "
        "{schema: {$ref: '%s'}}}}}\n"
        "components: {schemas: {Y: {type: string}}}\n"
    )
    good = tmp_path / "good.yaml"
    good.write_text(template % ("9" * 308, "#/components/schemas/Y"), encoding="utf-8")
    expected = {
        "wide.yaml": (("9" * 400, "#/components/schemas/Y"), 6, "beyond the float range"),
        "long.yaml": (("9" * 5000, "#/components/schemas/Y"), 6, "too long"),
        "nul.yaml": (("5", "#/components/schemas/Y\\0"), 7, "unresolvable $ref"),
    }
    for name, (values, line, words) in expected.items():
        bad = tmp_path / name
        bad.write_text(template % values, encoding="utf-8")
        with pytest.raises(SpecErrors) as failure:
            diff_paths(good, bad)
        [error] = failure.value.errors
        assert (Path(error.file).name, error.line) == (name, line)
        assert words in error.message
    assert diff_paths(good, good).changes == ()


PUBLIC_SPECS = sorted(
    path
    for path in (Path(__file__).resolve().parent / "public_specs").iterdir()
    if path.suffix in (".yaml", ".yml", ".json")
)


def test_the_shape_check_refuses_none_of_the_public_specs() -> None:
    """Valid specs the generator accepts load for diffing unchanged (no false mistyping)."""
    assert len(PUBLIC_SPECS) >= 30
    for path in [SPEC, *PUBLIC_SPECS]:
        assert diff_specs(load_spec(path), load_spec(path)).changes == (), path
