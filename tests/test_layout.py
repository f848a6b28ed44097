"""generator.output.layout: the text black gets is black's layout already, so black formats it once.

`black.format_str` runs a second pass whenever its first changed anything; the emitters print
black's own layout so that the first pass changes nothing (bench/README.md, "Where a cold
generation goes"). Black stays the formatter: these tests keep the emitted text honest.
"""

from __future__ import annotations

import ast
import difflib
import inspect
from pathlib import Path, PurePosixPath

import black
import pytest
from black.mode import TargetVersion
from hypothesis import given
from hypothesis import strategies as st

from generator.names import py_string
from generator.output import formatting
from generator.output.layout import fit, lay_out
from generator.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
MODE = black.Mode(
    line_length=formatting.BLACK_LINE_LENGTH,
    target_versions={TargetVersion[formatting.BLACK_TARGET.upper()]},
)
# Public specs whose every template-emitted chunk is black's layout (the others still have
# shapes the layout leaves to black, listed in bench/README.md; they only cost black's second
# pass on those chunks).
CLEAN_SPECS = [
    "spec/driveitem-invite.yaml",
    "tests/public_specs/swagger-petstore-3.0.yaml",
    "tests/public_specs/oai-31-tictactoe.yaml",
    "tests/public_specs/realworld-conduit.yaml",
    "tests/public_specs/redocly-museum.yaml",
    "tests/public_specs/xero-files.yaml",
    "tests/public_specs/adyen-BinLookupService-v54.json",
    "tests/public_specs/adyen-DisputeService-v30.json",
    "tests/public_specs/tsg-sso-v3.yaml",
    "tests/public_specs/twilio-pricing-v2.yaml",
    "tests/public_specs/readme31-parameters-style.yaml",
]
# Specs with shapes the layout does not know (and a comprehension, lambdas, dict displays in the
# templates' output): lay_out must still change no code in them.
SAFETY_SPECS = [
    "spec/driveitem-invite.yaml",
    "tests/data/composition.yaml",
    "tests/data/corpus_shapes.yaml",
    "tests/public_specs/readme30-schema-circular.json",
    "tests/public_specs/twilio-messaging-v2.yaml",
    "tests/public_specs/adyen-SessionAuthenticationService-v1.json",
]
VALIDATORS = "validators.py"


def _black_once(text: str) -> str:
    return black._format_str_once(text, mode=MODE)  # the first pass alone, as format_str runs it


def _emitted_python(spec: str, monkeypatch: pytest.MonkeyPatch) -> dict[PurePosixPath, str]:
    """The Python the emitters hand to the write stage (before black), by path."""
    captured: dict[PurePosixPath, str] = {}

    def keep(files: dict[PurePosixPath, str], header: object, formatted: object = ()) -> dict:
        captured.update(
            (path, text)
            for path, text in files.items()
            if path.suffix == ".py" and path not in formatted  # type: ignore[operator]
        )
        return {}

    monkeypatch.setattr("generator.pipeline.finalize", keep)
    build(ROOT / spec, project_root=ROOT)
    return captured


def _changed_chunks(text: str) -> list[str]:
    """Diffs of the chunks (as `formatting` sends them to black) that black's first pass changes."""
    changed = []
    for piece in formatting.split_chunks(text):
        chunk = lay_out(piece.rstrip("\n") + "\n")  # as `formatting._format_one` hands it to black
        once = _black_once(chunk)
        if once != chunk:
            changed.append(
                "".join(difflib.unified_diff(chunk.splitlines(True), once.splitlines(True)))
            )
    return changed


@pytest.mark.parametrize("spec", CLEAN_SPECS)
def test_template_modules_are_black_layout(spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    emitted = _emitted_python(spec, monkeypatch)
    assert any(path.name == "client.py" for path in emitted)
    for path, text in emitted.items():
        if path.name == VALIDATORS:
            continue
        changed = _changed_chunks(text)
        assert not changed, f"{spec}: {path}: black's first pass changes:\n" + "\n".join(
            changed[:3]
        )


def test_invite_validator_module_is_mostly_black_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled validators: the functions with shapes the layout leaves to black (sums of
    conditions, nested comprehensions) are few; the rest skip black's second pass."""
    emitted = _emitted_python("spec/driveitem-invite.yaml", monkeypatch)
    text = next(text for path, text in emitted.items() if path.name == VALIDATORS)
    chunks = formatting.split_chunks(text)
    changed = _changed_chunks(text)
    assert len(changed) * 10 < len(chunks), f"{len(changed)} of {len(chunks)} chunks change"


def _normalized(tree: ast.AST) -> str:
    """An AST dump with docstrings cleaned as black is allowed to (re-indented, stripped)."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                lines = inspect.cleandoc(value.value).splitlines()
                value.value = "\n".join(line.rstrip() for line in lines)
    return ast.dump(tree)


@pytest.mark.parametrize("spec", SAFETY_SPECS)
def test_layout_changes_no_code(spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """lay_out only moves line breaks (inside brackets), adds the parentheses and trailing commas
    black adds, and indents docstrings: the code means the same."""
    emitted = _emitted_python(spec, monkeypatch)
    assert len(emitted) >= 5
    for source in emitted.values():
        assert _normalized(ast.parse(lay_out(source))) == _normalized(ast.parse(source))


STATEMENTS = [
    # (statement, indentation): each is longer than the limit; fit must split it as black does
    (
        "def first_error_of_a_schema(data: Any, path: tuple[str | int, ...], depth: int) -> ValidationError | None:",
        4,
    ),
    (
        "def __init__(self, *, type_: SharingLinkType | Unset = UNSET, scope: Scope | Unset = UNSET,"
        " password: str | Unset | None = UNSET, expiration: str | Unset | None = UNSET) -> None:",
        4,
    ),
    (
        "def decode(a_very_long_parameter_name_that_fills_the_whole_line: Mapping[str, Any]) -> Result:",
        20,
    ),
    (
        'TABLE: ResponseTable = {"200": ("json", InviteResponse.from_dict), "400": ("json", '
        'OdataError.from_dict), "404": ("json", OdataError.from_dict)}',
        0,
    ),
    (
        '_wire_names: ClassVar[frozenset[str]] = frozenset(["expirationDateTime", "password", '
        '"recipients", "retainInheritedPermissions", "scope"])',
        4,
    ),
    (
        'return ValidationError("must be a string or null", path + ("password",), '
        '"#/$defs/createLinkRequest/properties/password/type", "type", value_4)',
        12,
    ),
    (
        "return await self._call(request, _A_RATHER_LONG_TABLE_NAME_FOR_SOME_OPERATION_RESPONSES, InviteResult, options)",
        8,
    ),
    (
        "request = build_me_drive_following_analytics_item_activity_stats_activities_drive_item_invite"
        "(item_id, body, validate=self._settings.validate_requests)",
        8,
    ),
    (
        'SERVERS: ServerTable = {"https://graph.microsoft.com/v1.0": {}, "https://example.com/b": {},}',
        0,
    ),
    (
        "_PERMISSION_ROLE_BY_VALUE: dict[str, PermissionRole] = {member.value: member for member in PermissionRole}",
        4,
    ),
    (
        "instance.granted = value if value is None or value is UNSET else "
        "list(map(_decode_SharePointIdentitySet, value))",
        4,
    ),
    (
        "return [item for item in self.body.value if item.error is not UNSET and "
        "item.error is not None]",
        8,
    ),
    (
        'return st.deferred(lambda: _objects({}, {"a": st.text(), "b": st.one_of(st.text(), st.none())}, None))',
        4,
    ),
]


STATEMENTS += [
    (
        "body=None if body is None else a_rather_long_function_name_for_the_body(body, validate=validate),",
        4,
    ),
    (
        'if (error := _first_error_drive_recipient(item_2, path + ("recipients", index_1))) is not None:',
        20,
    ),
    (
        "if not (type(data) is dict and ((keys := _keys_within(data, _SOME_KNOWN_KEYS)) or _has_str_keys(data))):",
        4,
    ),
    (
        "if not valid_1 or (queues_1[1] and not _all_hold(queues_1[1], _EMAIL_LINES_PATTERN, _is_email)):",
        12,
    ),
    (
        'if tag in ("accountHolder", "AccountHolderResource") and next(iter_errors_holder(data), None) is None:',
        4,
    ),
    (
        "resources: list[AccountHolderResource | LegalEntityResource | PaymentInstrumentResource | Resource]"
        " | Unset",
        4,
    ),
    (
        'FEED_ALREADY_CONNECTED_IN_DIFFERENT_ORGANISATION = "feed-already-connected-in-different-organisation"',
        4,
    ),
]


def _in_context(statement: str, indent: int) -> str:
    """The statement at `indent` inside enough `if` blocks to make that indentation legal."""
    if statement.endswith(","):  # an argument: inside a call
        return f"f(\n{' ' * indent}{statement}\n)\n"
    # black puts a blank line between `if x:` and a `def`, none after `class C:`
    opener = "class C:" if statement.startswith("def ") else "if x:"
    lines = [f"{'    ' * level}{opener}" for level in range(indent // 4)]
    body = [" " * (indent + 4) + "pass"] if statement.endswith(":") else []
    return "\n".join([*lines, " " * indent + statement, *body]) + "\n"


@pytest.mark.parametrize(("statement", "indent"), STATEMENTS)
def test_fit_splits_as_black_does(statement: str, indent: int) -> None:
    laid_out = _in_context(fit(statement, indent), indent)
    assert laid_out != _in_context(statement, indent), "fit left a splittable statement alone"
    assert black.format_str(laid_out, mode=MODE) == laid_out


@pytest.mark.parametrize(
    "statement",
    [
        "x = 1  # a comment stays with black, which knows where it goes",
        'message = "a string far too long to fit on one line, which nothing but black may split as it likes"',
        "return a_long_name_for_a_value + another_long_name_for_a_value + a_third_long_name_for_it",
    ],
)
def test_fit_leaves_unknown_shapes_to_black(statement: str) -> None:
    assert fit(statement, 8) == statement


@given(st.text())
def test_py_string_is_what_black_writes(text: str) -> None:
    literal = py_string(text)
    assert ast.literal_eval(literal) == text
    source = f"x = {literal}\n"
    if len(source) <= formatting.BLACK_LINE_LENGTH and "\\N" not in literal:
        assert black.format_str(source, mode=MODE) == source
