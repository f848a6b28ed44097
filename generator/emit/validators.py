"""JSON Schema (draft 2020-12) -> specialised, self-contained Python validator source.

Like fastjsonschema, schemas become straight-line Python. Unlike it, every compiled node gets
three variants: `_is_valid_<name>(data) -> bool`, with no bookkeeping, decides validity;
`_errors_<name>(data, path)` yields every `ValidationError` with its data path, schema path and
rule; `_first_error_<name>(data, path)` returns the first of them (or None) without generator
frames, for `validate_<name>`. The last two run only for invalid instances. All come from the
same keyword handlers (`validator_keywords`, `validator_containers`), so they agree by
construction; tests check it. Where the first-error walk maps a boolean function over array
items, that walk queues format checks and runs them in one regex call per format
(`validator_deferral`).

Instances are Python values as `json.loads` makes them: only a `dict` (not a subclass) with
exactly-`str` keys is an object, only a `list` is an array (a tuple is not), an `int` (not bool)
is an integer, a finite `float` or `int` is a number; a `str` or str subclass is a string, read
by its plain value. Anything else (subclasses of the others, bytes, sets, NaN, ...) is of no
JSON type: it fails `type`, `enum` and `const` and is ignored by type-specific keywords, and no
method of its class runs (`generator.jsonschema.checks.TYPE_TESTS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import jinja2

from generator.emit.client import template_environment
from generator.errors import SchemaCompileError
from generator.jsonschema.compiler import Explanations, Knowledge, ModuleCompiler
from generator.jsonschema.deferral import DEFERRAL_HELPERS
from generator.jsonschema.formats import FORMAT_HELPERS
from generator.jsonschema.node import Variant
from generator.jsonschema.resources import Resources
from generator.jsonschema.runtime import (
    DEFERRED_FUNCTIONS,
    HELPERS,
    helper_closure,
    render_imports,
)
from generator.jsonschema.writer import comment_text, lint_exemptions
from generator.names import docstring

_ALL_HELPERS = {**HELPERS, **FORMAT_HELPERS, **DEFERRAL_HELPERS}
# Module-level names the helpers define: generated constants must not take them.
_HELPER_NAMES = frozenset(
    name
    for helper in _ALL_HELPERS.values()
    for name in re.findall(r"^(?:def |class )?(\w+)", helper.source, re.MULTILINE)
)
# Module-level names each helper defines (a helper is kept when generated code uses one).
_HELPER_DEFINES = {
    name: frozenset(re.findall(r"^(?:def |class )?(\w+)", helper.source, re.MULTILINE))
    for name, helper in _ALL_HELPERS.items()
}
# Compile passes until nothing new is learned; each pass can only add knowledge, so a few do.
_MAX_PASSES = 8


def compile_schema(
    schema: Mapping[str, Any] | bool,
    *,
    draft: str | None = None,
    assert_formats: bool = False,
    registry: Any = None,
    deferred: bool = True,
) -> str:
    """Schema -> standalone module source with ValidationError, validate() and iter_errors().

    Args:
        draft: the dialect of a schema without `$schema` (`draft4`, `draft6`, `draft7`,
            `draft2019-09`, `draft2020-12` (the default), `openapi3.0`, `openapi3.1`).
        assert_formats: check `format` instead of treating it as an annotation.
        registry: documents that remote `$ref`s may name: a mapping URI -> schema or a
            `referencing.Registry`. The network is never used.
        deferred: keep every function as source, compiled on its first call (fast to load);
            False writes them all as code, the same checks and errors, which mypyc can compile
            (`compile-schema --compiled`).
    """
    try:
        resources = Resources(schema, draft=draft, registry=registry)
    except RecursionError:
        raise SchemaCompileError("#", "schema nests too deeply to compile") from None
    dialect = resources.place("#").dialect.name
    doc = f"Validator compiled from a JSON Schema ({dialect})."
    return _compile_module(
        resources,
        [("", "#")],
        assert_formats=assert_formats,
        module_doc=doc,
        explain_branches=True,
        defer_functions=deferred,
    )


def compile_validators(
    bundle: Mapping[str, Any],
    entry_points: Sequence[tuple[str, str]],
    *,
    assert_formats: bool = True,
    module_doc: str = "",
    inline_lines: int | None = None,
) -> str:
    """Bundle {"$defs": ...} + [(suffix, pointer)] -> module with validate_/iter_errors_<suffix>.

    Definitions may `$ref` each other ("#/$defs/other"); each one compiles to one function pair
    that every entry point shares, so the module holds no duplicated code. `inline_lines`: the
    largest `$ref` body the boolean walk writes in place of its call (default
    `MAX_INLINE_LINES`; 0: none).
    """
    if not isinstance(bundle, Mapping) or not isinstance(bundle.get("$defs", {}), Mapping):
        raise SchemaCompileError("#", 'a bundle must be an object with a "$defs" object')
    suffixes = [suffix for suffix, _ in entry_points]
    for suffix in suffixes:
        if not (suffix.isascii() and suffix.isidentifier()) or suffixes.count(suffix) > 1:
            raise SchemaCompileError("#", f"entry point name {suffix!r} is not a unique identifier")
    entries = [(f"_{suffix}", pointer) for suffix, pointer in entry_points]
    resources = Resources(bundle, draft="draft2020-12")
    return _compile_module(
        resources,
        entries,
        assert_formats=assert_formats,
        module_doc=module_doc,
        inline_lines=inline_lines,
    )


def _compile_module(
    resources: Resources,
    entries: list[tuple[str, str]],
    *,
    assert_formats: bool,
    module_doc: str,
    explain_branches: bool = False,
    inline_lines: int | None = None,
    defer_functions: bool = False,
) -> str:
    """Compile passes until reference targets and recursion are known, then render.

    `explain_branches`: the standalone compiler's module. anyOf/oneOf errors carry each
    branch's first error (a first-error function per branch; the generated package keeps the
    short message). `defer_functions`: every function is kept as source, compiled on its first
    call (`_deferred_block`; the standalone compiler's default; the generated package's
    functions, and `compile-schema --compiled`'s, are code that mypy and mypyc read).
    """
    knowledge = Knowledge()
    explanations = Explanations()
    checking = True
    for _ in range(_MAX_PASSES):
        compiler = ModuleCompiler(
            resources,
            assert_formats=assert_formats,
            knowledge=knowledge,
            checking=checking,
            reserved=_HELPER_NAMES | {DEFERRED_FUNCTIONS},
            explain_branches=explain_branches,
            explanations=explanations,
            inline_lines=inline_lines,
            defer_functions=defer_functions,
        )
        try:
            roots = _queue_entries(compiler, entries, checking=checking)
            compiler.compile_all()
        except RecursionError:
            raise SchemaCompileError("#", "schema nests too deeply to compile") from None
        learned = knowledge.merge(compiler.learned())
        if learned == knowledge and not checking:
            return _render(compiler, entries, roots, module_doc, deferred=defer_functions)
        knowledge, checking = learned, False
    raise SchemaCompileError("#", "compilation did not converge")  # pragma: no cover


def _queue_entries(
    compiler: ModuleCompiler, entries: list[tuple[str, str]], *, checking: bool
) -> list[str]:
    """Queue the entry points' functions (the checking pass: the whole document too)."""
    roots = []
    for suffix, pointer in entries:
        if not pointer.startswith("#"):
            raise SchemaCompileError(pointer, "entry points must be local JSON pointers")
        try:
            target = compiler.resolve_reference(pointer, "#")
        except SchemaCompileError as error:
            name = f"validate{suffix}"
            raise SchemaCompileError(pointer, f"entry point {name}: {error.message}") from None
        root = compiler.entry_key(target)
        roots.append(root)
        if checking:
            # The checking pass reads every subschema once, in the boolean walk: the error
            # walks apply the same schemas with the same calls (a branch that is a function in
            # them is one here too), so compiling them as well only doubled its time. What they
            # do differently is learned by the next pass.
            compiler.function_name(root, Variant.FAST)
            continue
        # `validate` calls the first-error variant alone: on valid data it is as fast as the
        # boolean one (map() over items, subset tests first), and an early error is not walked
        # twice. Boolean functions exist only where checks call them.
        compiler.function_name(root, Variant.FIRST)
        compiler.function_name(root, Variant.ERRORS)
    if checking:
        compiler.function_name(compiler.entry_key("#"), Variant.FAST)
    return roots


@dataclass(frozen=True)
class EntryPointView:
    """One entry point's public pair, `validate<suffix>` and `iter_errors<suffix>`."""

    suffix: str
    where: str  # the schema pointer, as docstring-safe text
    first: str  # the first-error function it calls
    errors: str  # the all-errors function it calls
    depth: str  # `, 0` when the function takes a recursion depth, else empty


@dataclass(frozen=True)
class ValidatorModuleView:
    """What `templates/validators/validators.py.jinja` prints: every piece already decided."""

    exemptions: tuple[str, ...]  # ruff codes the module's checks exceed on purpose
    docstring: str  # the quoted module docstring
    imports: tuple[str, ...]  # import lines, in isort order
    blocks: tuple[str, ...]  # helpers, then the constants, then the compiled functions
    entries: tuple[EntryPointView, ...]


def _entry_view(compiler: ModuleCompiler, suffix: str, pointer: str, root: str) -> EntryPointView:
    """The public pair for one entry point."""
    return EntryPointView(
        suffix=suffix,
        where=comment_text(pointer),
        first=compiler.function_name(root, Variant.FIRST),
        errors=compiler.function_name(root, Variant.ERRORS),
        depth=", 0" if root in compiler.knowledge.recursive else "",
    )


def _through_deferred(entry: EntryPointView) -> EntryPointView:
    """The same entry point calling its functions through `_DEFERRED` (compiled on first use)."""
    return replace(
        entry,
        first=f"{DEFERRED_FUNCTIONS}.{entry.first}",
        errors=f"{DEFERRED_FUNCTIONS}.{entry.errors}",
    )


@lru_cache(maxsize=1)
def _module_template() -> jinja2.Template:
    """The module frame, parsed once per process (the mock and compile-schema render it often)."""
    return template_environment().get_template("validators/validators.py.jinja")


# Bytes of emitted code -> themselves where they can be part of an identifier, else a space:
# identifiers are then the words `split()` finds (three times as fast as a regex; a word after a
# digit, or in a string, may count too, which can only keep an unused name).
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NON_WORDS = bytes(byte if byte in _WORD_BYTES else ord(" ") for byte in range(256))
# What compiled functions are named (`ModuleCompiler.function_name`); no `\b`: ten times as
# fast, and a name found inside a longer word can only keep an unused function. A call through
# `_DEFERRED.<name>` (`keywords._why`) is found by its name too.
_CALLED = re.compile(rf"_(?:{'|'.join(variant.value for variant in Variant)})_\w+")


def _identifiers(text: str) -> set[str]:
    """Every identifier in some emitted code (and possibly a few other words)."""
    words = set(text.encode().translate(_NON_WORDS).split())
    return {word.decode() for word in words}


def _reachable(functions: dict[str, str], roots: list[str]) -> dict[str, str]:
    """The functions some root calls, directly or through others, in their order.

    A function can be queued and then not called: an `anyOf` branch's predicate asks for its
    function before the boolean walk decides to write the branch's body in place.
    """
    calls = {name: _CALLED.findall(block) for name, block in functions.items()}
    reached: set[str] = set()
    pending = [name for name in roots if name in calls]
    while pending:
        name = pending.pop()
        if name not in reached:
            reached.add(name)
            pending.extend(used for used in calls[name] if used in calls)
    return {name: block for name, block in functions.items() if name in reached}


# A module constant as the helpers and the compiler write it: `_UPPER_CASE = ...` at the start
# of a line (a plain assignment, never rebound).
_HELPER_CONSTANT = re.compile(r"^(_[A-Z][A-Z0-9_]*)(?:: Final)? = ", re.MULTILINE)


def _final_constants(source: str) -> str:
    """Helper source with each module constant annotated `Final` (see `_render`)."""
    return _HELPER_CONSTANT.sub(r"\1: Final = ", source)


def _render(
    compiler: ModuleCompiler,
    entries: list[tuple[str, str]],
    roots: list[str],
    module_doc: str,
    *,
    deferred: bool,
) -> str:
    """Decide the module's pieces (docstring, imports, helpers, constants, functions, deferred
    functions, entry points) into a `ValidatorModuleView` and render the template with it."""
    compiler.use_import("collections.abc:Iterator")
    entry_views = tuple(
        _entry_view(compiler, suffix, pointer, root)
        for (suffix, pointer), root in zip(entries, roots, strict=True)
    )
    named = {
        f"_{variant.value}_{compiler.bases[pointer]}": "\n".join(lines)
        for (pointer, variant), lines in compiler.functions.items()
    }
    reached = _reachable(
        named, [name for entry in entry_views for name in (entry.first, entry.errors)]
    )
    functions, later = ([], reached) if deferred else (list(reached.values()), {})
    if deferred:
        entry_views = tuple(_through_deferred(entry) for entry in entry_views)
    # Deferred functions use the module's constants (a deferred function is compiled alone).
    used = _identifiers("\n".join([*functions, *later.values()]))
    # `Final`: free in pure Python (an annotation), and the compiled build (mypyc) binds a Final
    # module constant in a C static instead of looking it up in the module dict on every use.
    constants = [
        f"{name}: Final = {source}" for source, name in compiler.constants.items() if name in used
    ]
    used |= _identifiers("\n".join(constants))
    # Helpers, constants and imports that only discarded code asked for are left out.
    requested = {"ValidationError"} | {
        name for name in compiler.helpers if _HELPER_DEFINES[name] & used
    }
    if deferred:
        requested.add("_Deferred")
    helpers = helper_closure(requested, _ALL_HELPERS)
    imports = {spec for spec in compiler.imports if spec.rpartition(":")[2].split(".")[0] in used}
    imports.add("collections.abc:Iterator")
    for name in helpers:
        imports.update(_ALL_HELPERS[name].imports)
    blocks = [_final_constants(_ALL_HELPERS[name].source.strip("\n")) for name in helpers]
    if constants:
        blocks.append("\n".join(constants))
    if any(_HELPER_CONSTANT.search(block) for block in blocks) or deferred:
        imports.add("typing:Final")
    blocks += functions
    # Generated checks are long straight-line code on purpose; exempt exactly what is exceeded
    # (the entry points are two-line functions that never need it), deferred code included.
    exemptions = tuple(lint_exemptions([*blocks, *later.values()]))
    if deferred:
        blocks.append(_deferred_block(later))
    text = docstring(module_doc or "Compiled JSON Schema validators.")
    view = ValidatorModuleView(
        exemptions=exemptions,
        docstring=f'"""{text}"""' if "\n" not in text else f'"""{text}\n"""',
        imports=tuple(render_imports(imports)),
        blocks=tuple(blocks),
        entries=entry_views,
    )
    return _module_template().render(module=view)


_TRIPLE_QUOTE = "'" * 3


def _deferred_block(functions: dict[str, str]) -> str:
    """`_DEFERRED = _Deferred({name: source})`: each deferred function's source, a string;
    Python reads a string a twentieth as fast as it compiles the same code (package.json: 0.03 s
    for its 3.6 MB, where compiling them as code took 0.3 s), and a function is compiled when
    it is first called, alone (the functions it calls are compiled when they are called). Raw
    triple-quoted strings keep the code as readable as the rest; one literal per line for a
    function that holds three single quotes."""
    entries = []
    for name, block in functions.items():
        source = f"\n{block}\n"
        if _TRIPLE_QUOTE not in source:  # and it ends with a newline, not a backslash
            literal = f"r{_TRIPLE_QUOTE}{source}{_TRIPLE_QUOTE}"
        else:
            pieces = "".join(f"            {line!a}\n" for line in source.splitlines(keepends=True))
            literal = f"(\n{pieces}        )"
        entries.append(f"        {name!r}: {literal},\n")
    body = "".join(entries)
    return f"{DEFERRED_FUNCTIONS}: Final = _Deferred(\n    {{\n{body}    }}\n)"
