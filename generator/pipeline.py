"""The whole pipeline as functions: spec path -> IR -> files (text) -> final bytes.

May import: the stages `generator.spec`, `generator.ir`, `generator.emit`, `generator.output`, and
`generator.errors`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from generator.emit.client import emit_client, packaging_files, runtime_files
from generator.emit.schemas import emit_schemas
from generator.emit.strategies import emit_strategies
from generator.emit.validators import compile_validators
from generator.errors import SchemaCompileError, SpecError, SpecErrors
from generator.ir.build import api_from_spec
from generator.ir.model import Api
from generator.ir.schema import BUNDLE_PREFIX, COMPONENT_PREFIX, fragment_reference
from generator.output.writer import Header, finalize
from generator.spec.refs import ResolvedSpec, resolve_spec

# The generated tree is refused above this size, before formatting and before anything is
# written: black formats a megabyte of Python in about seven seconds of CPU, so a bound on the
# text bounds the run. The invite spec's tree is about 0.7 MB; a synthetic spec with 500
# operations and 1,000 schemas about 26 MB (validators.py is most of it).
MAX_OUTPUT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Generation:
    """The IR and the exact bytes of every output file."""

    api: Api
    files: dict[PurePosixPath, bytes]


def validator_entry_points(api: Api) -> list[tuple[str, str]]:
    """(function suffix, bundle pointer): every schema file's entry and every inline model."""
    entries = {
        schema_file.name: f"{BUNDLE_PREFIX}{schema_file.entry}" for schema_file in api.schema_files
    }
    for model in api.models:
        entries.setdefault(model.snake_name, model.schema_pointer)
    for union in api.unions:
        for name, pointer in union.entry_points:
            entries.setdefault(name, pointer)
    for name, pointer in api.one_of_checks:
        entries.setdefault(name, fragment_reference(pointer))
    return sorted(entries.items())


def emit_validators(api: Api) -> dict[PurePosixPath, str]:
    """`<package>/validators.py`: one compiled `validate_<name>` per schema."""
    source = compile_validators(
        api.schema_bundle,
        validator_entry_points(api),
        assert_formats=True,
        module_doc=f"Compiled validators for {api.title}: one validate_<name> per JSON Schema.",
        # Every `$ref` of the boolean walk stays a call: measured side by side (invite spec,
        # CPU), writing bodies of up to 200 lines in place made the walk no faster (pure 1.10x
        # the floor either way, compiled 0.48x against 0.47x without) and cost a third of
        # black's time on validators.py (1.04 s -> 0.76 s without): see bench/README.md.
        inline_lines=0,
    )
    return {PurePosixPath(api.package, "validators.py"): source}


def spec_label(spec_path: Path, project_root: Path) -> str:
    """How headers name the spec: relative to the project root (the output folder's parent), so the
    bytes do not depend on the working directory; just the file name when the spec is elsewhere."""
    try:
        return spec_path.resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return spec_path.name


def project_settings(project_root: Path) -> dict[str, Any]:
    """`[tool.invitegen]` of the project's pyproject.toml (`spec`, `package`); {} when absent."""
    path = project_root / "pyproject.toml"
    try:
        import tomllib

        with path.open("rb") as stream:
            tool = tomllib.load(stream).get("tool", {})
    except (ImportError, OSError, ValueError):  # Python 3.10, no file, or not TOML
        return {}
    settings = tool.get("invitegen", {}) if isinstance(tool, dict) else {}
    return settings if isinstance(settings, dict) else {}


def package_for(spec_path: Path, project_root: Path, package: str | None, derived: str) -> str:
    """The generated package's name: `--package`, else the project's setting when the spec is the
    project's own (`[tool.invitegen] spec`), else the name derived from `info.title`."""
    if package:
        return package
    settings = project_settings(project_root)
    configured, own_spec = settings.get("package"), settings.get("spec")
    if isinstance(configured, str) and isinstance(own_spec, str):
        if (project_root / own_spec).resolve() == spec_path.resolve():
            return configured
    return derived


def build(
    spec_path: Path,
    *,
    project_root: Path | None = None,
    template_cache: Path | None = None,
    strict_formats: bool = False,
    package: str | None = None,
) -> Generation:
    """Run every stage; raise `SpecErrors` (all problems, located) when the spec is not usable.

    `template_cache`: a folder for compiled Jinja templates (the command line's cache; skipped
    when it cannot be written). Without it nothing but the spec is read and nothing is written.
    """
    resolved = resolve_spec(spec_path)
    # Name the spec the same way wherever the command runs from: output must not depend on cwd.
    root = project_root or Path.cwd()
    api = api_from_spec(resolved, strict_formats=strict_formats)
    api = replace(
        api,
        spec_path=spec_label(spec_path, root),
        package=package_for(spec_path, root, package, api.package),
    )
    bytecode_cache = _bytecode_cache(template_cache)
    files: dict[PurePosixPath, str] = {}
    files.update(emit_schemas(api))
    loose: list[SchemaCompileError] = []
    try:
        files.update(emit_validators(api))
        files.update(emit_strategies(api, bytecode_cache, loose))
    except SchemaCompileError as error:
        raise SpecErrors([_compile_error(resolved, error)]) from None
    files.update(emit_client(api, bytecode_cache))
    _check_output_size(resolved, files)
    header = Header(api.spec_path, api.spec_sha256, api.generator_version)
    # Strategies drawn loosely (filtered through their validator) are warnings, not silence.
    warnings = api.warnings + tuple(_compile_error(resolved, note) for note in loose)
    return Generation(
        replace(api, warnings=warnings), finalize(files, header, verbatim_copies(api, files))
    )


def verbatim_copies(api: Api, files: dict[PurePosixPath, str]) -> frozenset[PurePosixPath]:
    """The output files that are the generator's own Python modules, unchanged: black-clean
    already (`make lint` checks `generator/`), so black is not run on them again."""
    sources = {**runtime_files(api.package, api.graph), **packaging_files()}
    return frozenset(
        path for path, text in sources.items() if path.suffix == ".py" and files.get(path) == text
    )


def _check_output_size(resolved: ResolvedSpec, files: dict[PurePosixPath, str]) -> None:
    """A located error (at the document, `#`) when the files would exceed `MAX_OUTPUT_BYTES`."""
    sizes = {path: len(text.encode("utf-8")) for path, text in files.items()}
    total = sum(sizes.values())
    if total > MAX_OUTPUT_BYTES:
        largest = max(sorted(sizes), key=sizes.__getitem__)
        message = (
            f"the generated files would total {total:,} bytes (largest: {largest}, "
            f"{sizes[largest]:,}); the limit is {MAX_OUTPUT_BYTES:,}"
        )
        raise SpecErrors([resolved.error("#", message)])


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def _compile_error(resolved: ResolvedSpec, error: SchemaCompileError) -> SpecError:
    pointer = error.pointer
    if pointer.startswith(BUNDLE_PREFIX):
        pointer = COMPONENT_PREFIX + pointer[len(BUNDLE_PREFIX) :]
    return resolved.error(pointer, error.message)
