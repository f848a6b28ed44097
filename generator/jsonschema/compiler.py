"""Compiles the functions of one validator module: references, functions, constants, recursion.

A schema node becomes a function when something calls it: a `$ref` target, an entry point, or
a subschema whose verdict is needed as a boolean (anyOf, not, ...). Everything else is inlined.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.errors import SchemaCompileError, join_pointer
from generator.jsonschema.deferral import PENDING, PENDING_TYPE
from generator.jsonschema.dispatch import compile_node
from generator.jsonschema.evaluated import Evaluation
from generator.jsonschema.evaluated import function_lines as evaluated_function
from generator.jsonschema.inline import MAX_INLINE_LINES, guards_expression
from generator.jsonschema.node import Scope, Target, Variant, emit_call
from generator.jsonschema.resources import DynamicScope, Resources
from generator.jsonschema.writer import (
    CodeWriter,
    LineBudget,
    LinesExceeded,
    NameAllocator,
    comment_text,
    name_from_pointer,
    string_literal,
)
from generator.vocabulary import Dialect

MAX_DEPTH = 512
# Keywords that make a schema more than an alias of its `$ref` target although they assert
# nothing: subschemas that must still compile, and identifiers of a resource.
_RESOURCE_KEYWORDS = frozenset(
    {"$defs", "definitions", "$id", "id", "$dynamicAnchor", "$recursiveAnchor"}
)
PATH_TYPE = "tuple[str | int, ...]"
# Document URIs at least this long are written once, as a constant, not in every error.
_SHARED_URI_LENGTH = 16
# Lines an inline predicate attempt may write (nested blocks included) before it is abandoned:
# a body `guards_expression` folds holds at most MAX_INLINE_TESTS tests and their returns, and
# code written then thrown away inside it (a type group the known types exclude) is short.
PREDICATE_LINE_BUDGET = 48


class Explanations:
    """Where each explained anyOf/oneOf branch's first-error function is compiled
    (`ModuleCompiler.explanation_location`): shared by every pass, so each calls the same ones."""

    def __init__(self) -> None:
        self.by_content: dict[tuple[Any, ...], str] = {}  # content -> first location
        self.by_branch: dict[tuple[str, DynamicScope], str] = {}


@dataclass(frozen=True)
class Knowledge:
    """What a compile pass learns that the next one needs (both only ever grow)."""

    ref_targets: frozenset[str] = frozenset()
    recursive: frozenset[str] = frozenset()  # function pointers on a call cycle: get `depth`
    # (function pointer, variant, format): the function takes deferred-format queues (`pending`)
    # and a call of it may queue strings of that format.
    deferring: frozenset[tuple[str, Variant, str]] = frozenset()
    # Predicates (`ModuleCompiler.called_predicates` keys) a pass found to need their function:
    # the next pass calls it without compiling the branch inline first. Not compared: it tells
    # how to compile faster, not what to compile, so it never asks for one more pass.
    unfoldable: frozenset[tuple[Any, ...]] = field(default=frozenset(), compare=False)

    def merge(self, other: Knowledge) -> Knowledge:
        """Union of both."""
        return Knowledge(
            self.ref_targets | other.ref_targets,
            self.recursive | other.recursive,
            self.deferring | other.deferring,
            self.unfoldable | other.unfoldable,
        )

    def deferred_by(self, pointer: str, variant: Variant) -> set[str]:
        """Formats a call of that function may queue (empty: it takes no queues)."""
        return set(self._deferred_index.get((pointer, variant), ()))

    @cached_property
    def _deferred_index(self) -> dict[tuple[str, Variant], list[str]]:
        """`deferring` by function, built once: every call site asks."""
        index: dict[tuple[str, Variant], list[str]] = defaultdict(list)
        for pointer, variant, name in self.deferring:
            index[(pointer, variant)].append(name)
        return index

    def format_slots(self) -> list[str]:
        """Deferred formats in queue order."""
        return sorted({name for _, _, name in self.deferring})


def recursive_pointers(edges: set[tuple[str, str]]) -> frozenset[str]:
    """Pointers from which some chain of calls leads back to themselves: the members of strongly
    connected components with a cycle (Tarjan's algorithm, iterative; linear in the edges, where
    a search per pointer was quadratic on a ring of schemas, issue 18 H2)."""
    graph: dict[str, list[str]] = defaultdict(list)
    for caller, callee in sorted(edges):
        graph[caller].append(callee)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[str] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            callees = graph.get(node, [])
            if position < len(callees):
                work.append((node, position + 1))
                callee = callees[position]
                if callee not in index:
                    work.append((callee, 0))
                elif callee in on_stack:
                    low[node] = min(low[node], index[callee])
                continue
            if work and position == len(callees):
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = _pop_component(node, stack, on_stack)
                if len(component) > 1 or node in graph.get(node, []):
                    found.update(component)
    return frozenset(found)


def _pop_component(root: str, stack: list[str], on_stack: set[str]) -> list[str]:
    """The strongly connected component `root` heads: the stack down to `root`, popped."""
    component: list[str] = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == root:
            return component


class ModuleCompiler:
    """One compile pass over a schema document (implements `validator_node.Compiler`)."""

    def __init__(
        self,
        resources: Resources,
        *,
        assert_formats: bool,
        knowledge: Knowledge,
        checking: bool,
        reserved: frozenset[str],
        explain_branches: bool = False,
        explanations: Explanations | None = None,
        inline_lines: int | None = None,
        defer_functions: bool = False,
    ) -> None:
        self.resources = resources
        # The boolean walk writes `$ref` bodies of at most this many lines in place of their
        # call (`inline_call`); 0 writes none. Default: MAX_INLINE_LINES, read when created.
        self.inline_lines = MAX_INLINE_LINES if inline_lines is None else inline_lines
        self.explain_branches = explain_branches
        self.defer_functions = defer_functions
        self.assert_formats = assert_formats
        self.knowledge = knowledge
        self.checking = checking
        self.names = NameAllocator(reserved)
        self.constants: dict[str, str] = {}  # source -> name
        self.helpers: set[str] = set()
        self.imports: set[str] = {"typing:Any"}
        self.bases: dict[str, str] = {}  # function pointer -> name shared by both variants
        self.functions: dict[tuple[str, Variant], list[str]] = {}
        self.queue: deque[tuple[str, Variant]] = deque()
        self.queued: set[tuple[str, Variant]] = set()  # the queue's members, looked up in O(1)
        self.edges: set[tuple[str, str]] = set()  # caller -> callee function pointers
        self.same_instance_edges: set[tuple[str, str]] = set()
        self.ref_targets: set[str] = set()
        # Deferred formats: (function, variant, format) queued in its own code, and calls from a
        # function's boolean walk that pass its queues on, (caller, variant) -> (callee, variant).
        self.format_sites: set[tuple[str, Variant, str]] = set()
        self.forward_edges: set[tuple[tuple[str, Variant], tuple[str, Variant]]] = set()
        self.evaluation = Evaluation(self)
        self.inlining: list[str] = []  # function pointers whose bodies are being inlined
        # Bodies found too long to inline: not compiled again just to be measured, which made
        # objects whose properties `$ref` the next level twice exponential (issue 18, H1).
        self.too_long_to_inline: set[str] = set()
        self.in_predicate = 0  # predicate expressions keep calls (an anyOf inlines statements)
        self.deferrable_formats = False
        # Checking pass: branch functions whose body a predicate already compiled, with the
        # calls attributed to them (compiled again only if formats could be deferred, which
        # the inline compile does not record for them).
        self.precompiled: set[str] = set()
        self.skipped: list[tuple[str, Variant]] = []
        # Predicates whose inline code was not guards only: (pointer, dynamic scope, known
        # types, defers, has_depth) -> they are calls of their function.
        self.called_predicates: set[tuple[str, DynamicScope, frozenset[str], bool, bool]] = set()
        # The same, without the known types, -> the known-type sets found to need the function:
        # fewer known types only add guards, so a branch needs its function under any subset of
        # a set it needed it under (the error walks ask with other sets than the boolean walk).
        self.unfoldable: dict[tuple[str, DynamicScope, bool, bool], list[frozenset[str]]] = {}
        for remembered in sorted(knowledge.unfoldable, key=repr):
            self._remember_unfoldable(remembered)
        # Predicates folded into an expression, by calling function and argument as well: the
        # function's other variants ask for the same branch again (its calls, constants and
        # deferred formats were recorded the first time; the error walks defer none).
        self.folded_predicates: dict[tuple[Any, ...], str] = {}
        self.function_keys: dict[tuple[str, DynamicScope], str] = {}  # `function_key`'s answers
        self.explanations = explanations if explanations is not None else Explanations()

    def learned(self) -> Knowledge:
        """Reference targets, recursive functions and deferred formats seen in this pass."""
        # A cycle that never moves to a member of the instance revisits the same (schema,
        # instance) pair: once taken it never ends, whatever the depth limit would allow.
        looping = sorted(recursive_pointers(self.same_instance_edges))
        if looping:
            message = "$ref cycle applies schemas to the same instance forever"
            raise SchemaCompileError(looping[0], message)
        return Knowledge(
            frozenset(self.ref_targets),
            recursive_pointers(self.edges),
            self._deferring(),
            frozenset(self.called_predicates),
        )

    def _deferring(self) -> frozenset[tuple[str, Variant, str]]:
        """Formats each function may queue: its own, and all those of the calls it passes queues
        to (closed here, so a chain of calls of any length needs no further pass)."""
        formats: dict[tuple[str, Variant], set[str]] = defaultdict(set)
        for pointer, variant, name in self.format_sites:
            formats[(pointer, variant)].add(name)
        changed = True
        while changed:
            changed = False
            for caller, callee in self.forward_edges:  # any order: the same fixpoint
                missing = formats[callee] - formats[caller]
                if missing:
                    formats[caller] |= missing
                    changed = True
        return frozenset(
            (pointer, variant, name)
            for (pointer, variant), names in formats.items()
            for name in names
        )

    def format_slots(self) -> list[str]:
        """Every deferred format of the module, in queue order."""
        return self.knowledge.format_slots()

    def format_slot(self, scope: Scope, name: str) -> int:
        """Queue index of a deferred format (a placeholder until a pass has seen every format)."""
        scope.deferred.add(name)
        slots = self.knowledge.format_slots()
        return slots.index(name) if name in slots else len(slots)

    def forwarded(self, scope: Scope, pointer: str, variant: Variant) -> bool:
        """Whether calls from `scope` pass `pending` on to that function (it takes them)."""
        if not scope.defers:
            return False
        callee = (self.function_key(scope, pointer), variant)
        scope.forwards.add(callee)
        return bool(self.knowledge.deferred_by(*callee))

    def deferred_by(self, scope: Scope, pointer: str, variant: Variant) -> set[str]:
        """Formats a call of the function for `pointer` may queue (empty: it takes no queues)."""
        return self.knowledge.deferred_by(self.function_key(scope, pointer), variant)

    def constant(self, stem: str, source: str, imports: tuple[str, ...] = ()) -> str:
        """Module constant for `source`, shared by equal sources."""
        self.imports.update(imports)
        if source not in self.constants:
            self.constants[source] = self.names.allocate(stem)
        return self.constants[source]

    def location_literal(self, pointer: str) -> str:
        """A schema location for an error: a literal, or the constant of its document's URI plus
        the fragment, when the URI is long (SchemaStore schemas have absolute `$id`s, so every
        error repeated `https://json.schemastore.org/<name>.json`: a tenth of package.json's
        module)."""
        document, hash_sign, fragment = pointer.partition("#")
        if len(document) < _SHARED_URI_LENGTH or not hash_sign:
            return string_literal(pointer)
        name = self.constant("_DOCUMENT", string_literal(document))
        return f"{name} + {string_literal(hash_sign + fragment)}"

    def helper(self, name: str) -> str:
        """Mark a runtime helper as used."""
        self.helpers.add(name)
        return name

    def use_import(self, spec: str) -> None:
        """Import needed by emitted code."""
        self.imports.add(spec)

    def schema_at(self, pointer: str) -> Any:
        """Schema at a canonical location; a missing location is a compile error."""
        return self.resources.schema_at(pointer)

    def dialect_at(self, pointer: str) -> Dialect:
        """The dialect the subschema at `pointer` is written in."""
        return self.resources.place(pointer).dialect

    def resolve_reference(self, reference: Any, pointer: str) -> str:
        """Canonical location of a `$ref` (or `$dynamicRef`'s initial target) at `pointer`."""
        where = join_pointer(pointer, "$ref")
        if not isinstance(reference, str):
            raise SchemaCompileError(where, "$ref must be a string")
        try:
            target = self.resources.resolve(reference, pointer)
        except SchemaCompileError as error:
            raise SchemaCompileError(where, error.message) from None
        self.ref_targets.add(target)
        return target

    def is_alias(self, pointer: str, schema: Any) -> bool:
        """Whether a schema is only a `$ref` (its other keywords cannot change a verdict)."""
        if not isinstance(schema, dict) or "$ref" not in schema:
            return False
        dialect = self.dialect_at(pointer)
        if dialect.ref_overrides:
            return True
        blocking = dialect.keywords | _RESOURCE_KEYWORDS
        return not any(keyword in blocking for keyword in schema if keyword != "$ref")

    def resolve_dynamic(self, scope: Scope, reference: Any, pointer: str, keyword: str) -> str:
        """Location a `$dynamicRef` / `$recursiveRef` at `pointer` reaches in the scope's
        dynamic scope (functions are compiled per dynamic scope that can change a target)."""
        where = join_pointer(pointer, keyword)
        if not isinstance(reference, str):
            raise SchemaCompileError(where, f"{keyword} must be a string")
        try:
            if keyword == "$recursiveRef":
                if reference != "#":
                    raise SchemaCompileError(where, '$recursiveRef must be "#"')
                target = self.resources.resolve_recursive(pointer, scope.context)
            else:
                target = self.resources.resolve_dynamic(reference, pointer, scope.context)
        except SchemaCompileError as error:
            raise SchemaCompileError(where, error.message) from None
        self.ref_targets.add(target)
        return target

    def function_key(self, scope: Scope, pointer: str) -> str:
        """Key of the function a call from `scope` runs for the subschema at `pointer`: after
        schemas that are only a `$ref` (they share its function), in the dynamic scope the
        call enters (the location itself when no dynamic reference can tell scopes apart).
        Remembered: calls, predicates and their deferral ask for the same keys again (the
        targets found were recorded the first time)."""
        remembered = (pointer, scope.context)
        key = self.function_keys.get(remembered)
        if key is None:
            key = self.function_keys[remembered] = self._function_key(scope.context, pointer)
        return key

    def explanation_location(self, scope: Scope, pointer: str) -> str:
        """Where the function explaining why the anyOf/oneOf branch at `pointer` failed is
        compiled: at the first branch of the module with the same content, written in the same
        resource and dialect and entered in the same dynamic scope. An explanation keeps only an
        error's message (its data path and description, never its schema location), and the
        same content gives the same messages, so one function serves every copy (SchemaStore's
        ESLint rules repeat their options: 324 of package.json's 849 explanations)."""
        remembered = (pointer, scope.context)
        location = self.explanations.by_branch.get(remembered)
        if location is None:
            place = self.resources.place(pointer)
            # repr: exact types (1, 1.0 and True differ, and so do 0.0 and -0.0, whose messages
            # do) and key order (a copy with keys in another order is compiled on its own).
            text = repr(self.schema_at(pointer))
            content = (text, place.base, place.resource, place.dialect.name, scope.context)
            location = self.explanations.by_content.setdefault(content, pointer)
            self.explanations.by_branch[remembered] = location
        return location

    def note_explanation(self, scope: Scope, pointer: str, target: Target) -> None:
        """Checking pass: record the call the error walks will make to explain the branch at
        `pointer` (the boolean walk makes none), so that the recursion this pass finds is the
        one of every walk (the branch's own calls are recorded where its predicate compiles)."""
        location = self.explanation_location(scope, pointer)
        if location != pointer:
            key = self.function_key(scope, location)
            self.edges.add((scope.pointer, key))
            if target.value == "data":
                self.same_instance_edges.add((scope.pointer, key))

    def _function_key(self, context: DynamicScope, pointer: str) -> str:
        """`function_key`, worked out."""
        context = self.resources.enter(context, pointer)
        seen = {pointer}
        schema = self.schema_at(pointer)
        while self.is_alias(pointer, schema):
            target = self.resolve_reference(schema["$ref"], pointer)
            if target in seen:
                break
            seen.add(target)
            pointer, schema = target, self.schema_at(target)
            context = self.resources.enter(context, pointer)
        return self.resources.function_key(pointer, context)

    def evaluated(self, scope: Scope, pointer: str, kind: Variant, data: str) -> str | None:
        """Expression for the members of `data` the siblings of an `unevaluated*` evaluate."""
        if not self.evaluation.may_evaluate(pointer, kind, siblings=True):
            return None
        return self.evaluation.call(scope, pointer, kind, data)

    def enter(self, scope: Scope, pointer: str) -> DynamicScope:
        """The dynamic scope of code for the subschema at `pointer` written into `scope`."""
        return self.resources.enter(scope.context, pointer)

    def entry_key(self, pointer: str) -> str:
        """Function key of an entry point (evaluation starts in the root dynamic scope)."""
        return self.function_key(Scope(self, Variant.FAST, "#", CodeWriter(1), False), pointer)

    def location(self, key: str) -> str:
        """The schema location a function key compiles."""
        return self.resources.unkey(key)[0]

    def function_name(self, pointer: str, variant: Variant) -> str:
        """`_is_valid_<name>` / `_errors_<name>` / `_first_error_<name>`; queues it for compiling."""
        if pointer not in self.bases:
            self.bases[pointer] = self.names.allocate(name_from_pointer(self.location(pointer)))
        if (pointer, variant) not in self.functions and (pointer, variant) not in self.queued:
            self.queue.append((pointer, variant))
            self.queued.add((pointer, variant))
        return f"_{variant.value}_{self.bases[pointer]}"

    def call(
        self,
        scope: Scope,
        pointer: str,
        variant: Variant,
        target: Target,
        *,
        defers: bool | None = None,
    ) -> str:
        """Call expression of the function for `pointer` (after `$ref`-only aliases); `defers`:
        whether it passes deferred-format queues on (default: when the scope defers)."""
        key = self.function_key(scope, pointer)
        self.edges.add((scope.pointer, key))
        if target.value == "data":  # the function's own argument, not a member of it
            self.same_instance_edges.add((scope.pointer, key))
        arguments = [target.value]
        if variant is not Variant.FAST:
            arguments.append(target.path_expression())
        if key in self.knowledge.recursive:
            arguments.append("depth + 1" if scope.has_depth else "0")
        if defers if defers is not None else scope.defers:
            scope.forwards.add((key, variant))
            if self.knowledge.deferred_by(key, variant):
                arguments.append(PENDING)
        return f"{self.function_name(key, variant)}({', '.join(arguments)})"

    def inline_call(self, scope: Scope, pointer: str, target: Target) -> bool:
        """Boolean walk: write a small `$ref` target's body in place of its call (`validator_inline`).

        Only where no depth is counted (the caller is not recursive) and the target is on no
        call cycle; a body longer than `inline_lines` stays a call. True if written.
        """
        # With a bound of 0 nothing is written in place: no body to compile and measure.
        if (
            scope.variant is not Variant.FAST
            or scope.has_depth
            or self.checking
            or self.inline_lines <= 0
        ):
            return False
        if self.in_predicate:
            return False
        pointer = self.function_key(scope, pointer)
        if (
            pointer in self.knowledge.recursive
            or pointer == scope.pointer
            or pointer in self.inlining
            or pointer in self.too_long_to_inline
        ):
            return False
        location, context = self.resources.unkey(pointer)
        schema = self.schema_at(location)
        if not isinstance(schema, dict) or schema.get("type") != "object":  # objects only
            return False
        self.edges.add((scope.pointer, pointer))
        if target.value == "data":
            self.same_instance_edges.add((scope.pointer, pointer))
        self.inlining.append(pointer)
        level, counters, outer = scope.writer.level, dict(scope.counters), scope.context
        scope.context = context  # the body runs in the callee's dynamic scope
        try:
            with scope.capture() as body:
                body.level = level
                compile_node(scope, schema, location, target, "")
        finally:
            self.inlining.pop()
            scope.context = outer
        if len(body.lines) > self.inline_lines:
            scope.counters = counters  # the call takes no local names
            self.too_long_to_inline.add(pointer)
            return False
        scope.writer.lines.extend(body.lines)
        return True

    def predicate(
        self,
        scope: Scope,
        pointer: str,
        argument: str,
        known_types: frozenset[str],
        *,
        tail: bool = False,
    ) -> str:
        """Inline expression for a subschema made of guards only, else a call of its function.

        `tail`: the caller's check fails exactly when this does, so a boolean walk that defers
        formats may defer them here too.
        """
        defers = tail and scope.defers
        remembered = (pointer, scope.context, known_types, defers, scope.has_depth)
        folded_key = (scope.pointer, argument, *remembered)
        folded = self.folded_predicates.get(folded_key)
        if folded is not None:
            return folded
        if self._needs_function(remembered):
            # Found to need its function before (the caller's other variants ask again): the
            # inline attempt would be compiled only to be thrown away once more.
            return self.call(scope, pointer, Variant.FAST, Target(argument), defers=defers)
        # Formats the expression defers are deferred by the function it is written into.
        # The attempt stops once it has written more lines than a foldable body can hold: a big
        # branch was compiled in full only to be thrown away (its function compiles it again),
        # a third of compiling a oneOf-heavy schema (issue 17: package.json).
        scratch = Scope(
            self,
            Variant.FAST,
            self._predicate_caller(scope, pointer, argument),
            CodeWriter(1, LineBudget(PREDICATE_LINE_BUDGET)),
            scope.has_depth,
            dict(scope.counters),
            defers=defers,
            deferred=scope.deferred,
            forwards=scope.forwards,
            context=scope.context,
        )
        target = Target(argument)
        self.in_predicate += 1
        complete = True
        try:
            if pointer in self.knowledge.ref_targets:
                emit_call(scratch, pointer, target)
            else:
                compile_node(
                    scratch, self.schema_at(pointer), pointer, target, "", known_types=known_types
                )
        except LinesExceeded:
            complete = False
        finally:
            self.in_predicate -= 1
        expression = guards_expression(scratch.writer.lines, 1) if complete else None
        if expression is None:
            self._remember_unfoldable(remembered)
            # A body compiled in full has attributed its calls to the branch's function (the
            # checking pass need not compile it again); an abandoned one has not.
            if self.checking and complete and scratch.pointer != scope.pointer:
                self.precompiled.add(scratch.pointer)
            return self.call(scope, pointer, Variant.FAST, target, defers=defers)
        if ":=" not in expression:  # no local names of its own: the same text in every variant
            self.folded_predicates[folded_key] = expression
        return expression

    def _remember_unfoldable(self, remembered: tuple[Any, ...]) -> None:
        """Record a predicate that compiles to a call of its function."""
        self.called_predicates.add(remembered)
        pointer, context, known_types, defers, has_depth = remembered
        self.unfoldable.setdefault((pointer, context, defers, has_depth), []).append(known_types)

    def _needs_function(self, remembered: tuple[Any, ...]) -> bool:
        """Whether a predicate is known to compile to a call (under these or more known types)."""
        pointer, context, known_types, defers, has_depth = remembered
        found = self.unfoldable.get((pointer, context, defers, has_depth), ())
        return any(known_types <= recorded for recorded in found)

    def _predicate_caller(self, scope: Scope, pointer: str, argument: str) -> str:
        """The function that calls made by a predicate's inline code are attributed to.

        The checking pass compiles only the boolean walk, where a branch may be inlined into
        its caller; the error walks call it as a function (to say why it failed). The calls it
        makes are attributed to the branch, called by the caller, so that the recursion found
        in this pass is the one of every walk (else a further pass would be needed to learn it).
        """
        if not self.checking:
            return scope.pointer
        key = self.function_key(scope, pointer)
        if self.location(key) != pointer:  # a `$ref` alias: calls go to its target directly
            return scope.pointer
        self.edges.add((scope.pointer, key))
        if argument == "data":
            self.same_instance_edges.add((scope.pointer, key))
        return key

    def callable_name(self, scope: Scope, pointer: str) -> str | None:
        """Fast function name usable with map() over members, for a subschema that is a `$ref`."""
        target = self.function_key(scope, pointer)
        if self.location(target) == pointer or target in self.knowledge.recursive:
            return None
        self.edges.add((scope.pointer, target))
        return self.function_name(target, Variant.FAST)

    def apply(self, scope: Scope, schema: Any, pointer: str, target: Target, rule: str) -> None:
        """Inline the subschema, or call its function when it is a `$ref` target itself."""
        if pointer in self.knowledge.ref_targets and pointer != self.location(scope.pointer):
            emit_call(scope, pointer, target)
        else:
            compile_node(scope, schema, pointer, target, rule)

    def check_only(self, scope: Scope, schema: Any, pointer: str) -> None:
        """Checking pass: compile a subschema that is never applied, so its errors surface."""
        if self.checking:
            # Its own pointer as caller: calls it makes belong to it, not to the enclosing code.
            key = self.resources.function_key(pointer, scope.context)
            if key in self.precompiled or (key, Variant.FAST) in self.functions:
                return  # this pass compiled the same code already (a `$ref` target, a branch)
            scratch = Scope(
                self, Variant.FAST, key, CodeWriter(1), has_depth=False, context=scope.context
            )
            compile_node(scratch, schema, pointer, Target("data"), "")
            # It is the boolean function's compile in this pass, with its calls attributed to
            # it: a `$ref` to it later needs no second one (most definitions are referenced).
            self.precompiled.add(key)

    def compile_all(self) -> None:
        """Compile queued functions (and those they queue) until none are left."""
        while self.queue:
            pointer, variant = self.queue.popleft()
            if self.checking and variant is Variant.FAST and pointer in self.precompiled:
                self.skipped.append((pointer, variant))
            else:
                # Still counted as queued while it compiles: its header asks for its own name,
                # which queued every function a second time (half of the compile time).
                self.functions[(pointer, variant)] = self._compile_function(pointer, variant)
            self.queued.discard((pointer, variant))
            if not self.queue and self.skipped and self.deferrable_formats:
                self.precompiled.clear()
                self.queue.extend(self.skipped)
                self.skipped.clear()

    def _compile_function(self, pointer: str, variant: Variant) -> list[str]:
        """Source lines of one function."""
        if variant in (Variant.PROPERTIES, Variant.ITEMS):
            return evaluated_function(self, pointer, variant)
        has_depth = pointer in self.knowledge.recursive
        # Only the boolean walk defers formats (`validator_deferral`): the others check them where
        # they meet them, so an early error stays early.
        location, context = self.resources.unkey(pointer)
        scope = Scope(
            self,
            variant,
            pointer,
            CodeWriter(1),
            has_depth,
            defers=variant is Variant.FAST,
            context=context,
        )
        if has_depth:
            self._emit_depth_guard(scope)
        compile_node(scope, self.schema_at(location), location, Target("data"), "")
        parameters = ", depth: int" if has_depth else ""
        self.format_sites.update((pointer, variant, name) for name in scope.deferred)
        self.forward_edges.update(((pointer, variant), callee) for callee in scope.forwards)
        # Callers pass queues to the functions the previous pass found deferring: take them.
        if scope.writer.uses(PENDING) or self.knowledge.deferred_by(pointer, variant):
            parameters += f", {PENDING}: {PENDING_TYPE} | None = None"
        if has_depth:
            self._guard_recursion(scope)
        return self._function_lines(scope, parameters)

    def _function_lines(self, scope: Scope, parameters: str) -> list[str]:
        """Header, docstring and body of a compiled function."""
        name = self.function_name(scope.pointer, scope.variant)
        where = comment_text(self.location(scope.pointer))
        if scope.variant is Variant.FAST:
            header = [f"def {name}(data: Any{parameters}) -> bool:"]
            header.append(f'    """Whether data is valid against {where}."""')
            return [*header, *scope.writer.lines, "    return True"]
        error_type = self.helper("ValidationError")
        if scope.variant is Variant.FIRST:
            returns = f"{error_type} | None"
            header = [f"def {name}(data: Any, path: {PATH_TYPE}{parameters}) -> {returns}:"]
            header.append(f'    """First error of data against {where}, or None."""')
            return [*header, *scope.writer.lines, "    return None"]
        self.use_import("collections.abc:Iterator")
        returns = f"Iterator[{error_type}]"
        header = [f"def {name}(data: Any, path: {PATH_TYPE}{parameters}) -> {returns}:"]
        header.append(f'    """Errors of data against {where}, in schema order."""')
        body = scope.writer.lines
        if not any(line.lstrip().startswith("yield") for line in body):
            body = [*body, "    yield from ()"]
        return [*header, *body]

    def _guard_recursion(self, scope: Scope) -> None:
        """Wrap a recursive function's body: when the interpreter's stack runs out before
        MAX_DEPTH (a caller already deep, several frames per level), the deepest function that
        can still build an error reports its data path instead of raising RecursionError (a
        frame that cannot build one either passes the RecursionError to its caller, one level
        up, which tries again)."""
        if scope.variant is Variant.FAST:
            handler = "return False"
        else:
            description = string_literal("is nested too deeply for the interpreter's stack")
            location = string_literal(self.location(scope.pointer))
            rule = '"depth"'
            error = (
                f"{self.helper('ValidationError')}({description}, path, {location}, {rule}, data)"
            )
            handler = f"{'return' if scope.variant is Variant.FIRST else 'yield'} {error}"
        body = scope.writer.lines or ["    pass"]
        scope.writer.lines = [
            "    try:",
            *(f"    {line}" for line in body),
            "    except RecursionError:",
            f"        {handler}",
        ]

    def _emit_depth_guard(self, scope: Scope) -> None:
        """Recursive functions stop at MAX_DEPTH nested calls: an error, never RecursionError."""
        limit = self.constant("_MAX_DEPTH", str(MAX_DEPTH))
        scope.writer.line(f"if depth > {limit}:")
        if scope.variant is Variant.FAST:
            scope.writer.line("    return False")
            return
        description = string_literal(f"is nested too deeply (more than {MAX_DEPTH} levels)")
        location = string_literal(self.location(scope.pointer))
        arguments = f'{description}, path, {location}, "depth", data'
        if scope.variant is Variant.FIRST:
            scope.writer.line(f"    return {self.helper('ValidationError')}({arguments})")
            return
        scope.writer.line(f"    yield {self.helper('ValidationError')}({arguments})")
        scope.writer.line("    return")
