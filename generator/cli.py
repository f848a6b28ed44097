"""Command line: `invitegen generate | check | diff | compile-schema | mock`.

The top of the tree: it runs the pipeline and starts the tools, loading each tool on first use.
May import: `generator.version`, `generator.errors`, `generator.pipeline`, `generator.output`,
`generator.emit.validators` (compile-schema), `generator.native` (compile-schema --compiled),
`generator.vocabulary` (its dialect names), `generator.diff`, `generator.mock`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import keyword
import sys
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from generator.errors import SchemaCompileError, SpecErrors
from generator.output.formatting import cache_dir
from generator.output.writer import (
    CHANGELOG_FILE,
    OutputFolderError,
    check_output_folder,
    read_tree,
    write_tree,
)
from generator.pipeline import Generation, build
from generator.version import __version__
from generator.vocabulary import DIALECTS

if TYPE_CHECKING:
    from generator.diff.compare import GitSource, VersionGate

# generator.diff.compare (and its rule tables) is imported by the commands that compare specs only: it
# is a third of the import time of `generate --previous none` (issue #6).
REPORT_FORMATS = ("json", "markdown", "text", "yaml")  # diff.report.RENDERERS (a test checks)
FAIL_LEVELS = ("ERR", "WARN")  # generator.diff.rules.Level (a test checks)
CATEGORIES = ("api", "generated-client")  # generator.diff.rules.Category (a test checks)
DEFAULT_SPEC = Path("spec/driveitem-invite.yaml")
DEFAULT_OUT = Path("generated")
# `--previous` default: the --spec file itself as committed at git HEAD (skipped when untracked).
DEFAULT_PREVIOUS_TEXT = "the --spec file at git HEAD, when git tracks it"
MAX_DIFF_LINES = 200


def _summary(generation: Generation) -> str:
    api = generation.api
    return (
        f"invitegen {__version__}: {api.spec_path} (sha256 {api.spec_sha256[:12]}, spec version {api.version})\n"
        f"  {len(api.operations)} operations, {len(api.models)} models, {len(api.enums)} enums, "
        f"{len(api.schema_files)} JSON Schemas"
    )


def _previous_source(arguments: argparse.Namespace) -> str | GitSource | None:
    """What to compare --spec with: `--previous` as given, else the --spec file at git HEAD; None
    (with a one-line note) when the default has nothing to read."""
    if arguments.previous == "none":
        return None
    if arguments.previous is not None:
        return str(arguments.previous)
    from generator.diff.compare import head_source

    source = head_source(arguments.spec)
    if source is None:
        print(
            f"invitegen: note: {arguments.spec} is not committed in a git repository; "
            "generating without the breaking-change check",
            file=sys.stderr,
        )
    return source


def _version_gate(
    arguments: argparse.Namespace, source: str | GitSource, label: str
) -> VersionGate | None:
    """Diff the previous spec against --spec; None (with a note) when it cannot be read."""
    from generator.diff.compare import load_spec, version_gate

    try:
        previous = load_spec(source)
    except SpecErrors as failure:
        reason = failure.errors[0] if failure.errors else label
        print(f"invitegen: not comparing with {label}: {reason}", file=sys.stderr)
        return None
    changelog_path = arguments.out / CHANGELOG_FILE
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else ""
    return version_gate(previous, load_spec(arguments.spec), changelog)


def _changelog_files(out: Path, gate: VersionGate | None) -> dict[PurePosixPath, bytes]:
    """CHANGELOG.md is history, not generated code: carried over, updated when the API changed."""
    if gate is not None and gate.changelog is not None:
        return {CHANGELOG_FILE: gate.changelog.encode("utf-8")}
    existing = out / CHANGELOG_FILE
    return {CHANGELOG_FILE: existing.read_bytes()} if existing.is_file() else {}


def command_generate(arguments: argparse.Namespace) -> int:
    """Build everything in memory, then replace the output folder atomically."""
    # Refuse an output folder that is not ours before any work; checked again when writing.
    check_output_folder(arguments.out, (arguments.spec,))
    # Build first: a spec with errors gets its located errors, not a breaking-change verdict.
    generation = build(
        arguments.spec,
        project_root=arguments.out.resolve().parent,
        template_cache=cache_dir("jinja"),
        strict_formats=arguments.strict_formats,
        package=arguments.package,
    )
    for warning in generation.api.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    source = _previous_source(arguments)
    label = source if isinstance(source, str) else source.label if source else ""
    gate = None if source is None else _version_gate(arguments, source, label)
    if gate is not None and gate.refusal is not None and not arguments.allow_breaking:
        print(gate.refusal, file=sys.stderr)
        return 1
    files = {**generation.files, **_changelog_files(arguments.out, gate)}
    report = write_tree(files, arguments.out, (arguments.spec,))
    print(_summary(generation))
    if gate is not None:
        print(f"  compared with {label}: {gate.report.summary()}")
    print(
        f"  {arguments.out}/: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    )
    for path in report.written:
        print(f"    wrote {path}")
    for path in report.removed:
        print(f"    removed {path}")
    return 0


def _days(text: str) -> int:
    """A whole number of days, 0 or more; argparse reports anything else."""
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of days (0-999999), got {text!r}"
        )
    return int(text)


def _categories(text: str) -> tuple[str, ...]:
    """`api,generated-client` -> the categories; argparse reports anything else."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in CATEGORIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown category {', '.join(unknown) or text!r} (choose from {', '.join(CATEGORIES)})"
        )
    return names


def command_diff(arguments: argparse.Namespace) -> int:
    """Print the API changes from OLD to NEW; exit 1 with --fail-on when a change is that severe."""
    from generator.diff.compare import RENDERERS, Category, DiffPolicy, Level, diff_paths

    policy = DiffPolicy(
        deprecation_days_stable=arguments.deprecation_days_stable,
        deprecation_days_beta=arguments.deprecation_days_beta,
    )
    report = diff_paths(arguments.old, arguments.new, policy=policy).only(
        Category(name) for name in arguments.categories
    )
    sys.stdout.write(RENDERERS[arguments.format](report))
    fail_on = "ERR" if arguments.fail_on_breaking else arguments.fail_on
    return 1 if fail_on is not None and report.fails(Level(fail_on)) else 0


def command_check(arguments: argparse.Namespace) -> int:
    """Exit 1 with a unified diff when the output folder differs from what the spec generates."""
    generation = build(
        arguments.spec,
        project_root=arguments.out.resolve().parent,
        template_cache=cache_dir("jinja"),
        strict_formats=arguments.strict_formats,
        package=arguments.package,
    )
    on_disk = read_tree(arguments.out)
    on_disk.pop(CHANGELOG_FILE, None)  # history carried over by generate, not generated
    stale = sorted(
        {str(path) for path in generation.files if on_disk.get(path) != generation.files[path]}
        | {str(path) for path in on_disk if path not in generation.files}
    )
    if not stale:
        print(
            f"{arguments.out}/ is up to date with {generation.api.spec_path} ({len(on_disk)} files)"
        )
        return 0
    print(
        f"{arguments.out}/ is stale: {len(stale)} file(s) differ; run `make generate`",
        file=sys.stderr,
    )
    lines: list[str] = []
    for name in stale:
        path = PurePosixPath(name)
        old = on_disk.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = generation.files.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines.extend(
            difflib.unified_diff(old, new, f"{arguments.out}/{name}", f"generated from spec/{name}")
        )
    sys.stdout.writelines(lines[:MAX_DIFF_LINES])
    if len(lines) > MAX_DIFF_LINES:
        print(f"... {len(lines) - MAX_DIFF_LINES} more diff lines")
    return 1


def command_compile_schema(arguments: argparse.Namespace) -> int:
    """Compile one JSON Schema file into a standalone validator module."""
    from generator.emit.validators import compile_schema
    from generator.output.formatting import format_python

    try:
        schema = json.loads(arguments.schema.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"{arguments.schema}: cannot read JSON Schema: {error}", file=sys.stderr)
        return 1
    registry: dict[str, Any] = {}
    if arguments.registry is not None:
        registry, problem = _read_registry(arguments.registry)
        if problem:
            print(problem, file=sys.stderr)
            return 1
    try:
        source = compile_schema(
            schema,
            draft=arguments.draft,
            assert_formats=arguments.assert_formats,
            registry=registry,
            deferred=not arguments.compiled,
        )
    except SchemaCompileError as error:
        print(f"{arguments.schema}: {error.pointer}: {error.message}", file=sys.stderr)
        return 1
    header = (
        f"# Code generated by invitegen {__version__} from {arguments.schema.name}. DO NOT EDIT.\n"
    )
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = arguments.output.with_name(f".{arguments.output.name}.tmp")
    text = header + source if arguments.no_format else format_python(header + source)
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(arguments.output)
    print(f"wrote {arguments.output}")
    return _build_native(arguments.output, compiled=arguments.compiled)


def _build_native(module: Path, *, compiled: bool) -> int:
    """With --compiled, build `module` with mypyc beside it; without, remove an earlier build,
    which Python would import instead of the module just written."""
    from generator.native import NativeBuildError, build_extension, extensions_beside

    if not compiled:
        for stale in extensions_beside(module):
            stale.unlink()
            print(f"removed {stale} (an earlier --compiled build, which would shadow the module)")
        return 0
    try:
        extension = build_extension(module)
    except NativeBuildError as error:
        print(f"{module}: no compiled build: {error}", file=sys.stderr)
        return 1
    print(f"wrote {extension}")
    return 0


def _read_registry(folder: Path) -> tuple[dict[str, Any], str]:
    """Every *.json file below `folder`, keyed by its `$id` (or `id`), its file URI and its path
    relative to the folder (what a relative `$ref` from a schema without `$id` names).

    Returns the registry and a problem message (empty when there is none).
    """
    if not folder.is_dir():
        return {}, f"{folder}: --registry must be a folder of JSON Schema files"
    registry: dict[str, Any] = {}
    for path in sorted(folder.rglob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            return {}, f"{path}: cannot read JSON Schema: {error}"
        registry[path.resolve().as_uri()] = document
        registry[path.relative_to(folder).as_posix()] = document
        if isinstance(document, dict):
            for keyword in ("$id", "id"):
                identifier = document.get(keyword)
                if isinstance(identifier, str) and not identifier.startswith("#"):
                    registry[identifier.partition("#")[0]] = document
    return registry, ""


def command_mock(arguments: argparse.Namespace) -> int:
    """Serve the spec's operations until SIGINT or SIGTERM (rules: README.md, "The mock")."""
    from generator.mock.graph_state import StateFileError
    from generator.mock.server import MockAddressError, serve
    from generator.mock.service import MockService

    try:
        service = MockService.from_spec(
            arguments.spec, layer=arguments.layer, state_path=arguments.state
        )
    except StateFileError as error:
        print(f"invitegen mock: {error}", file=sys.stderr)
        return 2
    try:
        return serve(
            service,
            arguments.host,
            arguments.port,
            allow_remote=arguments.allow_remote,
            describe=f" from {arguments.spec}, {service.layer.name} layer",
        )
    except MockAddressError as error:
        print(f"invitegen mock: {error}", file=sys.stderr)
        return 2


def _package_argument(text: str) -> str:
    if not (text.isascii() and text.isidentifier()) or keyword.iskeyword(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Python package name")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invitegen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"invitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler, text in (
        ("generate", command_generate, "regenerate the output folder from the spec"),
        ("check", command_check, "exit 1 with a diff when the output folder is stale"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "--spec", type=Path, default=DEFAULT_SPEC, help=f"spec file (default {DEFAULT_SPEC})"
        )
        sub.add_argument(
            "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
        )
        sub.set_defaults(handler=handler)
        sub.add_argument(
            "--package",
            type=_package_argument,
            default=None,
            help="import name of the generated package (default: [tool.invitegen] package for the "
            "project's spec, else derived from info.title)",
        )
        sub.add_argument(
            "--strict-formats",
            action="store_true",
            help="make unknown `format` values errors (default: warnings; kept as annotations)",
        )
        if name == "generate":
            sub.add_argument(
                "--previous",
                default=None,
                help="spec to compare with for CHANGELOG.md and the breaking-change check: a file "
                f"or git:REV:path (default: {DEFAULT_PREVIOUS_TEXT}; otherwise the check is "
                "skipped with a note; `none` skips it)",
            )
            sub.add_argument(
                "--allow-breaking",
                action="store_true",
                help="generate even when breaking changes come without a major info.version bump",
            )
    diff_parser = commands.add_parser(
        "diff",
        help="report API changes between two OpenAPI 3.x specs, breaking (ERR) first",
        description="Compare two OpenAPI 3.0/3.1 specs (files or git:REV:path) and report the "
        "changes with oasdiff's rule ids and levels: ERR (breaks clients), WARN (may break them), "
        "INFO; changes that break only the generated client are in the generated-client category.",
    )
    diff_parser.add_argument(
        "old", help="old spec: a file or git:REV:path (git:HEAD~1:spec/x.yaml)"
    )
    diff_parser.add_argument("new", help="new spec: a file or git:REV:path")
    diff_parser.add_argument(
        "--format", choices=REPORT_FORMATS, default="text", help="output format (default: text)"
    )
    diff_parser.add_argument(
        "--fail-on",
        choices=FAIL_LEVELS,
        help="exit 1 when a change of this level or a more severe one is found (as oasdiff)",
    )
    diff_parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="the same as --fail-on ERR",
    )
    diff_parser.add_argument(
        "--categories",
        type=_categories,
        default=CATEGORIES,
        metavar="LIST",
        help="comma-separated categories to report and fail on: api (oasdiff's rules), "
        "generated-client (changes that break code using the generated client); default both",
    )
    for stability in ("stable", "beta"):
        diff_parser.add_argument(
            f"--deprecation-days-{stability}",
            type=_days,
            default=0,
            metavar="DAYS",
            help=f"a newly deprecated {stability} operation, parameter or property needs an "
            f"x-sunset at least DAYS days ahead (as oasdiff; default 0: no sunset needed)",
        )
    diff_parser.set_defaults(handler=command_diff)
    compile_parser = commands.add_parser(
        "compile-schema", help="compile a JSON Schema file to a validator module"
    )
    compile_parser.add_argument("schema", type=Path, help="JSON Schema file")
    compile_parser.add_argument(
        "--draft",
        choices=sorted(DIALECTS),
        default=None,
        help="dialect of a schema without $schema (default draft2020-12; $schema wins)",
    )
    compile_parser.add_argument(
        "--registry",
        type=Path,
        default=None,
        help="folder of JSON Schema files that remote $refs may name (by $id or file URI); "
        "the network is never used",
    )
    compile_parser.add_argument(
        "-o", "--output", type=Path, required=True, help="Python module to write"
    )
    compile_parser.add_argument(
        "--assert-formats", action="store_true", help="treat `format` as an assertion"
    )
    compile_parser.add_argument(
        "--no-format",
        action="store_true",
        help="write the module as the compiler emits it, without black (the same code; black "
        "takes most of the time for a large schema: seconds where compiling takes under one)",
    )
    compile_parser.add_argument(
        "--compiled",
        action="store_true",
        help="write every function as code (not source compiled on first call) and build the "
        "module with mypyc into an extension module beside it, which Python imports first "
        "(needs mypy and a C compiler; the .py stays the fallback)",
    )
    compile_parser.set_defaults(handler=command_compile_schema)
    mock_parser = commands.add_parser(
        "mock",
        help="serve a mock of any OpenAPI spec over HTTP (Microsoft Graph rules for Graph specs)",
        description="Serve every operation of the spec over HTTP until SIGINT/SIGTERM: requests "
        "are checked against the spec and answered with its examples or schema-valid bodies; for "
        "a Graph spec, with stateful permissions. The state, the rules, the X-Mock-Fail header and "
        'the control paths are documented in one place: README.md, section "The mock".',
    )
    mock_parser.add_argument(
        "--spec", type=Path, default=DEFAULT_SPEC, help=f"spec file (default {DEFAULT_SPEC})"
    )
    mock_parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    mock_parser.add_argument(
        "--port", type=int, default=8000, help="port (0 picks a free one; the URL is printed)"
    )
    mock_parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (the mock has no real authentication)",
    )
    mock_parser.add_argument(
        "--layer",
        choices=("auto", "graph", "plain"),
        default="auto",
        help="Graph rules or the spec alone (default auto: Graph when a server is on "
        "graph.microsoft.com)",
    )
    mock_parser.add_argument(
        "--state",
        type=Path,
        help='JSON fixtures to start from: {"items": {"/drives/d/items/i": [permission, ...]}}',
    )
    mock_parser.set_defaults(handler=command_mock)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `invitegen` console script."""
    arguments = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = arguments.handler
    try:
        return handler(arguments)
    except OutputFolderError as failure:
        print(f"invitegen: --out {failure}; nothing was written", file=sys.stderr)
        return 1
    except SpecErrors as failure:
        for error in failure.errors:
            print(error, file=sys.stderr)
        count = len(failure.errors)
        outcome = _OUTCOME_OF_ERRORS.get(arguments.command, "nothing was written")
        print(f"invitegen: {count} error{'s' if count != 1 else ''}; {outcome}", file=sys.stderr)
        return 1


# What a located error leaves undone, per command (the default: the writers' promise).
_OUTCOME_OF_ERRORS = {
    "diff": "the specs were not compared",
    "check": "nothing was compared",
    "mock": "the mock did not start",
}


if __name__ == "__main__":
    raise SystemExit(main())
