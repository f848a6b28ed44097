"""The opt-in compiled build (`make compiled`, issue #19), loaded beside the pure-Python package.

`make compiled` leaves the platform wheel unpacked in `build/compiled/site`. Its
`graph_invite.validators` is a mypyc extension module with the same name as the pure module this
process already imported, so it is loaded under that name for a moment and the pure module is put
back; the compiled `graph_invite.models` is loaded the same way, bound to them (or, from a build
without it, a second copy of `models.py`), which is what an installed compiled wheel runs.
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


def _shared_libraries() -> list[tuple[str, str]]:
    """(module name, path) of mypyc's shared libraries in the build, which the shims import:
    `<package>/<module>__mypyc` for one compiled module, `<hash>__mypyc` at the top for several."""
    found = []
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for path in sorted([*SITE.glob(f"*__mypyc{suffix}"), *SITE.glob(f"*/*__mypyc{suffix}")]):
            parts = path.relative_to(SITE).with_name(path.name.removesuffix(suffix)).parts
            found.append((".".join(parts), str(path)))
    return found


@cache
def _load_once() -> tuple[CompiledBuild | None, str]:
    validators_path, models_path = _extension("validators"), _extension("models")
    if validators_path is None:
        return None, "compiled: no build in build/compiled/site (`make compiled`), not timed"
    for module in (graph_invite.validators, graph_invite.models):
        pure_source = Path(module.__file__ or "")
        built_source = SITE / PACKAGE / pure_source.name
        if not built_source.exists() or built_source.read_bytes() != pure_source.read_bytes():
            return None, "compiled: build/compiled is stale (rerun `make compiled`), not timed"
    pure_validators, pure_models = graph_invite.validators, graph_invite.models
    try:
        for name, path in _shared_libraries():  # imported by the modules' shims
            _load(name, path)
        compiled = _load(f"{PACKAGE}.validators", validators_path)
        # The compiled models when the build has them, else the pure source bound to the
        # compiled validators.
        models = _load(f"{PACKAGE}.models", models_path or pure_models.__file__ or "")
    finally:
        sys.modules[f"{PACKAGE}.validators"] = pure_validators
        sys.modules[f"{PACKAGE}.models"] = pure_models
    return CompiledBuild(compiled, models), ""
