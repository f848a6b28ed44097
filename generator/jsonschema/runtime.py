"""Runtime helpers copied into generated validator modules, each only when some check uses it.

Emitted modules are self-contained (stdlib only), so shared logic travels as source text.
Every helper names the imports and the other helpers it needs; `helper_closure` resolves them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Helper:
    """Source of one module-level definition plus the imports and helpers it relies on."""

    source: str
    imports: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


# Imports are written `module` (for `import module`) or `module:name` (`from module import name`).
HELPERS: dict[str, Helper] = {}

HELPERS["ValidationError"] = Helper(
    '''
class ValidationError(ValueError):
    """One way an instance breaks its schema: where (`path`), which `rule`, and why (`message`).

    Built as `ValidationError(description, path, schema_path, rule, value)`.
    """

    # No __init__: BaseException keeps the five arguments in `args` (so copies and pickles
    # rebuild the error), and a Python __init__ storing them as attributes made building an error
    # cost 3x as much (480 ns against 150 ns), the larger part of an early failure. No typed
    # __init__ stub under a class-body `if TYPE_CHECKING:` either: mypyc (the compiled build)
    # refuses one, so the five arguments are typed by the properties below.

    @property
    def description(self) -> str:
        """What is wrong with the value, without the path."""
        description: str = self.args[0]
        return description

    @property
    def path(self) -> tuple[str | int, ...]:
        """Keys and indexes from the instance root to the value."""
        path: tuple[str | int, ...] = self.args[1]
        return path

    @property
    def schema_path(self) -> str:
        """JSON pointer of the failed keyword in the schema."""
        schema_path: str = self.args[2]
        return schema_path

    @property
    def rule(self) -> str:
        """The failed keyword (`type`, `format`, ...)."""
        rule: str = self.args[3]
        return rule

    @property
    def value(self) -> object:
        """The failing value itself."""
        value: object = self.args[4]
        return value

    @property
    def message(self) -> str:
        """`recipients[0].email: must be an email address`: the data path, then the description."""
        return f"{_render_path(self.path)}: {self.description}"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        # Not BaseException's repr of `args`: that calls repr() on the failing value, which can
        # raise (a raising __repr__, an int past 4,300 digits) or print megabytes.
        return f"{type(self).__name__}({self.message!r}, rule={self.rule!r})"
''',
    requires=("_render_path",),
)

HELPERS["_render_path"] = Helper(
    '''
def _render_path(path: tuple[str | int, ...]) -> str:
    """('recipients', 0, 'email') -> 'recipients[0].email'; () -> '(root)'."""
    if not path:
        return "(root)"
    parts: list[str] = []
    for item in path:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            continue
        key = item if len(item) <= 40 else item[:37] + "..."  # a 10 MB key: a short message
        if key.isidentifier():
            parts.append(f".{key}" if parts else key)
        else:
            import json  # here, not at the top: importing json is a sixth of the package's import

            parts.append(f"[{json.dumps(key)}]")
    if len(parts) > 16:  # messages stay short; the full path is in ValidationError.path
        parts[6:-6] = [f"...({len(parts) - 12} more)"]
    return "".join(parts)
''',
)

HELPERS["_short_repr"] = Helper(
    '''
# reprlib bounds nesting and length, so even a 10,000-level list prints safely and briefly.
_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60


def _short_repr(value: object) -> str:
    """repr() cut to about 80 characters: messages stay readable whatever the instance holds."""
    text = _REPR.repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
''',
    imports=("reprlib",),
)

HELPERS["_why"] = Helper(
    '''
def _why(description: str, failures: tuple[object, ...]) -> str:
    """An anyOf/oneOf description, then why each branch failed (its first error), or which
    branches all matched; at most about 400 characters."""
    matched = [str(index) for index, failure in enumerate(failures) if failure is None]
    if len(matched) > 1:
        listed = ", ".join(matched[:10]) + (", ..." if len(matched) > 10 else "")
        return f"{description} (branches {listed} all match)"
    reasons = []
    for index, failure in enumerate(failures):
        if failure is not None:
            text = str(failure)
            reasons.append(f"{index}: {text if len(text) <= 80 else text[:77] + '...'}")
    joined = "; ".join(reasons)
    return f"{description} ({joined if len(joined) <= 300 else joined[:297] + '...'})"
''',
)

# The instance of `_Deferred` a module builds with its functions' source: main code calls one
# as `_DEFERRED.<name>(...)`; functions compiled from that source call each other by name.
DEFERRED_FUNCTIONS = "_DEFERRED"

HELPERS["_Deferred"] = Helper(
    '''
class _Deferred:
    """This module's functions, kept as source and each compiled into the module's namespace on
    its first call: loading the module reads strings (a twentieth of what compiling the same
    code costs: most of a large schema's module is code that a run never reaches, such as the
    explanations of anyOf/oneOf failures), and a run compiles the functions its instances
    reach. Built from {name: source}; until its function is compiled, each name is bound to a
    stand-in that compiles it, then calls it."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.stand_ins = {name: self._stand_in(name) for name in sources}
        globals().update(self.stand_ins)

    def _stand_in(self, name: str) -> Callable[..., Any]:
        def compile_and_call(*arguments: Any) -> Any:
            return getattr(self, name)(*arguments)

        return compile_and_call

    def __getattr__(self, name: str) -> Callable[..., Any]:
        namespace = globals()
        # vars(): not self.sources, which a copy being built lacks (and would ask for here)
        sources: dict[str, str] = vars(self).get("sources", {})
        if name not in sources:
            raise AttributeError(name)
        if namespace.get(name) is vars(self)["stand_ins"][name]:
            # Compiled with this module's `from __future__ import annotations` (inherited).
            code = compile(sources[name], f"{__name__} (deferred {name})", "exec")
            exec(code, namespace)  # noqa: S102
        function: Callable[..., Any] = namespace[name]
        setattr(self, name, function)  # later calls find it without __getattr__
        return function
''',
    imports=("collections.abc:Callable", "typing:Any"),
)

HELPERS["_has_str_keys"] = Helper(
    '''
def _has_str_keys(data: dict[Any, Any]) -> bool:
    """Whether every key is exactly a str (checked before any key is hashed or compared)."""
    for key in data:
        if type(key) is not str:
            return False
    return True
''',
    imports=("typing:Any",),
)

HELPERS["_keys_within"] = Helper(
    '''
def _keys_within(data: dict[Any, Any], known: frozenset[str]) -> bool:
    """Whether every key is exactly a str and one of `known` (a closed object's keys)."""
    for key in data:
        if type(key) is not str or key not in known:
            return False
    return True
''',
    imports=("typing:Any",),
)

HELPERS["_freeze"] = Helper(
    '''
def _freeze_scalar(value: object) -> object:
    """Hashable key of a non-container value; anything outside JSON only equals itself."""
    # Exact types (a str subclass by its plain value): no __eq__ or __hash__ of a subclass runs.
    if type(value) is bool:
        return ("boolean", value)
    if value is None or type(value) is str or type(value) is int:
        return value
    if type(value) is float and isfinite(value):
        return value
    if issubclass(type(value), str):
        return str.__str__(value)
    return ("other", id(value))


def _freeze(value: object) -> object:
    """JSON value -> hashable key, equal exactly when the values are (1 == 1.0, True != 1)."""
    if type(value) is not list and type(value) is not dict:
        return _freeze_scalar(value)
    # A flat token tuple built with an explicit stack: nested tuples would hash and compare
    # recursively, and instances may nest deeper than the interpreter's recursion limit.
    tokens: list[object] = []
    stack: list[tuple[bool, object]] = [(False, value)]
    while stack:
        is_token, item = stack.pop()
        if is_token:
            tokens.append(item)
        elif type(item) is list:
            tokens.append(("[",))
            stack.append((True, ("]",)))
            stack.extend((False, child) for child in reversed(item))
        elif type(item) is dict and all(type(key) is str for key in item):
            tokens.append(("{",))
            stack.append((True, ("}",)))
            for key in sorted(item, reverse=True):  # key order does not matter in JSON
                stack += [(False, item[key]), (True, (":", key))]
        else:
            tokens.append(_freeze_scalar(item))
    return tuple(tokens)
''',
    imports=("math:isfinite",),
)

HELPERS["_has_duplicates"] = Helper(
    '''
def _has_duplicates(items: list[Any]) -> bool:
    """Whether two items are equal as JSON values (so 1 and 1.0 are duplicates, 1 and True not)."""
    seen: set[object] = set()
    for item in items:
        key = _freeze(item)
        if key in seen:
            return True
        seen.add(key)
    return False
''',
    imports=("typing:Any",),
    requires=("_freeze",),
)

HELPERS["_is_multiple_of"] = Helper(
    '''
def _is_multiple_of(value: float, divisor: Fraction) -> bool:
    """Exact check on the decimal a float prints as: 0.0075 is a multiple of 0.0001."""
    # Binary floating point would call 0.0075 / 0.0001 = 74.99999999999999 not whole.
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    return exact % divisor == 0
''',
    imports=("fractions:Fraction",),
)


def helper_closure(names: set[str], registry: dict[str, Helper]) -> list[str]:
    """Requested helpers plus everything they require, in the fixed order of `registry`."""
    needed = set(names)
    pending = list(names)
    while pending:
        for required in registry[pending.pop()].requires:
            if required not in needed:
                needed.add(required)
                pending.append(required)
    return [name for name in registry if name in needed]


def render_imports(imports: set[str]) -> list[str]:
    """Import lines in isort order: plain imports first, then `from` imports, each sorted.

    Names from `typing` only annotate (the module starts with `from __future__ import
    annotations`), so they are imported for type checkers alone, under `TYPE_CHECKING` (set
    here rather than imported: importing `typing` is a seventh of the package's import time).
    """
    plain = sorted(item for item in imports if ":" not in item and item != "typing")
    grouped: dict[str, set[str]] = {}
    for item in imports:
        if ":" in item:
            module, name = item.split(":")
            grouped.setdefault(module, set()).add(name)
    typing_names = sorted(grouped.pop("typing", set()))
    lines = [f"import {module}" for module in plain]
    for module in sorted(grouped):
        lines.append(f"from {module} import {', '.join(sorted(grouped[module]))}")
    if typing_names:
        lines += ["", "TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing"]
        lines += ["if TYPE_CHECKING:", f"    from typing import {', '.join(typing_names)}"]
    return lines
