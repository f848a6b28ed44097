"""The opt-in compiled build (`make compiled`, issue #19), loaded beside the pure-Python package.

`make compiled` leaves the platform wheel unpacked in `build/compiled/site`. Its
`graph_invite.validators` is a mypyc extension module with the same name as the pure module this
process already imported, so it is loaded under that name for a moment and the pure module is put
back; a second copy of `models.py` is then executed with the compiled validators in place, which is
what an installed compiled wheel runs (only the validators are compiled; see bench/README.md).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import graph_invite.models
import graph_invite.validators

from bench.peers import ROOT

SITE = ROOT / "build" / "compiled" / "site"
PACKAGE = "graph_invite"


@dataclass(frozen=True)
class CompiledBuild:
    """The compiled validators module and the models bound to it."""

    validators: ModuleType
    models: ModuleType


def _load(name: str, location: str) -> ModuleType:
    """Execute the module at `location` as `name`, registered in sys.modules while it loads."""
    spec = importlib.util.spec_from_file_location(name, location)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {name} from {location}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _extension(stem: str) -> str | None:
    """Path of the built extension module `stem` in the unpacked wheel, if any."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = SITE / PACKAGE / f"{stem}{suffix}"
        if path.exists():
            return str(path)
    return None


def load_compiled(notes: list[str]) -> CompiledBuild | None:
    """The compiled build when `make compiled` left one that matches generated/, else None.

    Loaded once per process (an extension module cannot be initialised twice); the reason for a
    None goes to `notes` on every call.
    """
    build, reason = _load_once()
    if build is None:
        notes.append(reason)
    return build


@cache
def _load_once() -> tuple[CompiledBuild | None, str]:
    validators_path, runtime_path = _extension("validators"), _extension("validators__mypyc")
    if validators_path is None:
        return None, "compiled: no build in build/compiled/site (`make compiled`), not timed"
    pure_source = Path(graph_invite.validators.__file__ or "")
    built_source = SITE / PACKAGE / "validators.py"
    if not built_source.exists() or built_source.read_bytes() != pure_source.read_bytes():
        return None, "compiled: build/compiled is stale (rerun `make compiled`), not timed"
    pure_validators, pure_models = graph_invite.validators, graph_invite.models
    try:
        if runtime_path is not None:  # mypyc's shared library, imported by the module's shim
            _load(f"{PACKAGE}.validators__mypyc", runtime_path)
        compiled = _load(f"{PACKAGE}.validators", validators_path)
        models = _load(f"{PACKAGE}.models", pure_models.__file__ or "")
    finally:
        sys.modules[f"{PACKAGE}.validators"] = pure_validators
        sys.modules[f"{PACKAGE}.models"] = pure_models
    return CompiledBuild(compiled, models), ""
