"""One schema node being compiled: where its code goes, how failures are reported, subschemas.

Every keyword handler is written once against `Node`; the node turns "fail if <condition>" into
`return False` for the fast boolean variant, `yield ValidationError(...)` for the error variant
and `return ValidationError(...)` for the first-error variant.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.errors import escape_pointer_token
from generator.jsonschema.resources import ROOT_SCOPE, DynamicScope
from generator.jsonschema.writer import CodeWriter, name_from_pointer, string_literal
from generator.vocabulary import DEFAULT_DIALECT, DIALECTS, Dialect


class Variant(enum.Enum):
    """The functions emitted per compiled schema node."""

    FAST = "is_valid"  # bool: `return False` at the first failure, no bookkeeping
    ERRORS = "errors"  # generator: one ValidationError per failure, with path and schema path
    # The first ValidationError or None, straight-line: `validate_<name>` raises it without the
    # frame chain of `next(_errors_...)` (a generator per nested call, resumed on the way out).
    FIRST = "first_error"
    # Annotation functions (`validator_evaluated`): the keys / indexes a schema evaluates.
    PROPERTIES = "evaluated_properties"
    ITEMS = "evaluated_items"


@dataclass(frozen=True)
class Target:
    """The instance a piece of inline code checks: a local variable and its data path."""

    value: str
    path: tuple[str, ...] = ()  # expressions appended to the function's `path` argument

    def path_expression(self) -> str:
        """Python expression for the full data path tuple."""
        if not self.path:
            return "path"
        # `path + (...)` concatenates two tuples: twice as fast as unpacking into `(*path, ...)`.
        items = self.path[0] + "," if len(self.path) == 1 else ", ".join(self.path)
        return f"path + ({items})"

    def child(self, value: str, path_item: str) -> Target:
        """Target for a member of this instance (`path_item` is a key or index expression)."""
        return Target(value, (*self.path, path_item))


class Compiler(Protocol):
    """What nodes need from the module being compiled (see `validator_compiler.ModuleCompiler`)."""

    assert_formats: bool
    checking: bool  # first pass: compile everything once, only to find schema errors
    explain_branches: bool  # anyOf/oneOf errors say why each branch failed
    defer_functions: bool  # functions kept as source, explanations called through `_DEFERRED`
    deferrable_formats: bool  # some asserted format could be deferred (set when one is met)
    in_predicate: int  # > 0 while a predicate's body is compiled to be folded into an expression

    def constant(self, stem: str, source: str, imports: tuple[str, ...] = ()) -> str:
        """Name of a module-level constant holding `source` (shared when sources are equal)."""

    def location_literal(self, pointer: str) -> str:
        """Expression for a schema location in an error (its document's URI may be a constant)."""

    def helper(self, name: str) -> str:
        """Mark a runtime helper as used and return its name."""

    def use_import(self, spec: str) -> None:
        """Import `module` or `module:name` in the emitted module."""

    def callable_name(self, scope: Scope, pointer: str) -> str | None:
        """Name of the one-argument fast function for `pointer`, if it compiles to one."""

    def forwarded(self, scope: Scope, pointer: str, variant: Variant) -> bool:
        """Whether calls from `scope` pass their deferred-format queues to that function."""

    def deferred_by(self, scope: Scope, pointer: str, variant: Variant) -> set[str]:
        """Formats a call of the function for `pointer` may queue (empty: it takes no queues)."""

    def format_slots(self) -> list[str]:
        """Every deferred format of the module, in queue order."""

    def format_slot(self, scope: Scope, name: str) -> int:
        """Index of the queue that format `name` defers its strings to."""

    def call(self, scope: Scope, pointer: str, variant: Variant, target: Target) -> str:
        """Call expression of the function compiled for `pointer`, applied to `target`."""

    def explanation_location(self, scope: Scope, pointer: str) -> str:
        """Where the first-error function explaining a failed anyOf/oneOf branch is compiled
        (one location for every branch with the same content)."""

    def note_explanation(self, scope: Scope, pointer: str, target: Target) -> None:
        """Checking pass: record the call that explains a failure of the branch at `pointer`."""

    def inline_call(self, scope: Scope, pointer: str, target: Target) -> bool:
        """Boolean walk: write the body of the function for `pointer` in place; False: call it."""

    def predicate(
        self,
        scope: Scope,
        pointer: str,
        argument: str,
        known_types: frozenset[str],
        *,
        tail: bool = False,
    ) -> str:
        """Boolean expression: whether the subschema at `pointer` accepts `argument`."""

    def schema_at(self, pointer: str) -> Any:
        """The schema at a canonical pointer."""

    def dialect_at(self, pointer: str) -> Dialect:
        """The dialect the subschema at `pointer` is written in."""

    def resolve_reference(self, reference: str, pointer: str) -> str:
        """Canonical pointer a `$ref` found at `pointer` refers to."""

    def resolve_dynamic(self, scope: Scope, reference: Any, pointer: str, keyword: str) -> str:
        """Location a `$dynamicRef` / `$recursiveRef` reaches in the scope's dynamic scope."""

    def evaluated(self, scope: Scope, pointer: str, kind: Variant, data: str) -> str | None:
        """Expression for the members `data` has that the siblings of the `unevaluated*` at
        `pointer` evaluate (kind PROPERTIES or ITEMS); None when they can evaluate none."""

    def enter(self, scope: Scope, pointer: str) -> DynamicScope:
        """The dynamic scope of code for the subschema at `pointer` written into `scope`."""

    def apply(self, scope: Scope, schema: Any, pointer: str, target: Target, rule: str) -> None:
        """Emit inline code (or a call) applying `schema` to `target`."""

    def check_only(self, scope: Scope, schema: Any, pointer: str) -> None:
        """In the checking pass, compile a subschema that is never applied, for its errors."""


@dataclass
class Scope:
    """One emitted function: its variant, the writer its body goes to, its local names."""

    compiler: Compiler
    variant: Variant
    pointer: str
    writer: CodeWriter
    has_depth: bool
    counters: dict[str, int] = field(default_factory=dict)
    # Deferred format checks (`validator_deferral`): whether code written here may queue a
    # string instead of checking it (and pass its queues to calls whose failure is its own),
    # the formats it queues itself, and the (function pointer, variant) it passes queues to.
    defers: bool = False
    deferred: set[str] = field(default_factory=set)
    forwards: set[tuple[str, Variant]] = field(default_factory=set)
    context: DynamicScope = ROOT_SCOPE  # the dynamic scope the code written here runs in

    def variable(self, stem: str) -> str:
        """Fresh local name: `value_1`, `value_2`, ..."""
        self.counters[stem] = self.counters.get(stem, 0) + 1
        return f"{stem}_{self.counters[stem]}"

    def capture(self) -> Capture:
        """Redirect writing to a nested writer, for a body whose header depends on it."""
        return Capture(self)


class Capture:
    """`Scope.capture`'s context: the nested writer while it lasts, the outer one after (a
    class, not `contextlib.contextmanager`: a generator per capture was a twentieth of
    compiling a large schema)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.outer = scope.writer

    def __enter__(self) -> CodeWriter:
        self.outer = self.scope.writer
        self.scope.writer = self.outer.nested()
        return self.scope.writer

    def __exit__(self, *exception: object) -> None:
        self.scope.writer = self.outer


@dataclass
class Node:
    """A schema object being compiled inline into `scope` against `target`."""

    scope: Scope
    schema: Mapping[str, Any]
    pointer: str
    target: Target
    # Variants that stop at a failure: types and keys that earlier checks already established.
    known_types: frozenset[str] = frozenset()
    known_present: set[str] = field(default_factory=set)
    keys_checked: bool = False  # fast variant: the type test already rejected unknown keys
    keys_known: str = ""  # first-error variant: local set by the type test, true if keys are known
    properties_walked: bool = False  # fast variant: the type test's key loop checked `properties`
    dialect: Dialect = DIALECTS[DEFAULT_DIALECT]

    @property
    def fast(self) -> bool:
        """Whether this is the boolean variant."""
        return self.scope.variant is Variant.FAST

    @property
    def stops_at_failure(self) -> bool:
        """Whether code after a failed check runs only for instances that passed it."""
        return self.scope.variant is not Variant.ERRORS

    @property
    def value(self) -> str:
        """Expression of the instance under check."""
        return self.target.value

    @property
    def compiler(self) -> Compiler:
        """The module compiler."""
        return self.scope.compiler

    def at(self, *tokens: str | int) -> str:
        """Pointer of a keyword (and deeper tokens) of this node (`join_pointer`, inlined: it is
        the compiler's most frequent call)."""
        pointer = self.pointer or "#"
        for token in tokens:
            text = token if isinstance(token, str) else str(token)
            if "~" in text or "/" in text:
                text = escape_pointer_token(text)
            pointer = f"{pointer}/{text}"
        return pointer

    def constant(self, kind: str, source: str, imports: tuple[str, ...] = ()) -> str:
        """Module constant named after this node's pointer: `_DRIVE_RECIPIENT_EMAIL_PATTERN`."""
        stem = f"_{name_from_pointer(self.pointer).upper()}_{kind}"
        return self.compiler.constant(stem, source, imports)

    def fail_if(
        self,
        condition: str,
        keyword_pointer: str,
        rule: str,
        description: str,
        *,
        target: Target | None = None,
        value: str | None = None,
        branch: str = "if",
    ) -> None:
        """Emit: if `condition` holds, the instance is invalid (`description`: an expression)."""
        where = target or self.target
        writer = self.scope.writer
        writer.line(f"{branch} {condition}:")
        writer.level += 1
        self._emit_failure(keyword_pointer, rule, description, where, value or where.value)
        writer.level -= 1

    def fail(
        self, keyword_pointer: str, rule: str, description: str, *, value: str | None = None
    ) -> None:
        """Emit an unconditional failure at the current position."""
        self._emit_failure(keyword_pointer, rule, description, self.target, value or self.value)

    def _emit_failure(
        self, keyword_pointer: str, rule: str, description: str, target: Target, value: str
    ) -> None:
        if self.fast:
            self.scope.writer.line("return False")
            return
        error = self.compiler.helper("ValidationError")
        location = self.compiler.location_literal(keyword_pointer)
        arguments = [description, target.path_expression(), location]
        arguments += [string_literal(rule), value]
        statement = "return" if self.scope.variant is Variant.FIRST else "yield"
        self.scope.writer.line(f"{statement} {error}({', '.join(arguments)})")

    def apply(
        self, schema: Any, pointer: str, target: Target | None = None, rule: str = ""
    ) -> None:
        """Emit code applying a subschema to `target` (default: this node's instance)."""
        self.compiler.apply(self.scope, schema, pointer, target or self.target, rule)

    def call(self, pointer: str, target: Target | None = None) -> None:
        """Emit a call of the function compiled for `pointer` (a `$ref` target) on `target`."""
        emit_call(self.scope, pointer, target or self.target)

    def predicate(self, pointer: str, argument: str, *, tail: bool = False) -> str:
        """Boolean expression: whether the subschema at `pointer` accepts `argument`.

        `tail`: the expression's verdict decides this node's check, so it may defer formats.
        """
        schema = self.compiler.schema_at(pointer)
        if isinstance(schema, bool):
            return repr(schema)
        # What the fast variant established about this node's instance holds for the branch too.
        known = self.known_types if argument == self.value else frozenset()
        return self.compiler.predicate(self.scope, pointer, argument, known, tail=tail)


def emit_call(scope: Scope, pointer: str, target: Target) -> None:
    """Emit a call of the function for `pointer`: a guard, `yield from`, or pass the error on.

    The boolean walk writes a small, non-recursive target's body in place of the call instead.
    """
    if scope.compiler.inline_call(scope, pointer, target):
        return
    call = scope.compiler.call(scope, pointer, scope.variant, target)
    if scope.variant is Variant.FAST:
        scope.writer.line(f"if not {call}:")
        scope.writer.line("    return False")
    elif scope.variant is Variant.FIRST:
        scope.writer.line(f"if (error := {call}) is not None:")
        scope.writer.line("    return error")
    else:
        scope.writer.line(f"yield from {call}")
