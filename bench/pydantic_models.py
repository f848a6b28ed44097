"""Peer models generated at bench time: datamodel-codegen -> pydantic v2 (and msgspec) modules.

datamodel-codegen 0.89 reads `x-enum-descriptions` as a list (one description per enum value);
our spec gives a value -> description map, which it rejects. The benchmark feeds it a copy of the
spec without that extension; nothing else changes.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from bench import peers

PYDANTIC = "pydantic_v2.BaseModel"
MSGSPEC = "msgspec.Struct"


def _without(node: Any, key: str) -> Any:
    """A copy of a parsed YAML document with every `key` removed from every mapping."""
    if isinstance(node, dict):
        return {name: _without(value, key) for name, value in node.items() if name != key}
    if isinstance(node, list):
        return [_without(item, key) for item in node]
    return node


def prepare_spec(folder: Path) -> Path:
    """Write the spec datamodel-codegen can read (see module docstring) into `folder`."""
    document = yaml.safe_load(peers.SPEC.read_text(encoding="utf-8"))
    target = folder / "driveitem-invite.yaml"
    target.write_text(
        yaml.safe_dump(_without(document, "x-enum-descriptions"), sort_keys=False),
        encoding="utf-8",
    )
    return target


def codegen_command(spec: Path, output: Path, model_type: str) -> list[str]:
    """datamodel-codegen's command line: its default formatters (black, isort) made explicit."""
    return [
        peers.tool("datamodel-codegen"),
        "--input",
        str(spec),
        "--input-file-type",
        "openapi",
        "--output",
        str(output),
        "--output-model-type",
        model_type,
        "--formatters",
        "black",
        "isort",
        "--disable-timestamp",
    ]


def start_codegen(spec: Path, output: Path, model_type: str) -> subprocess.Popen[str]:
    """Start datamodel-codegen in the background (both model modules are generated at once)."""
    return subprocess.Popen(  # noqa: S603 - our own argv, no shell
        codegen_command(spec, output, model_type),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_codegen(process: subprocess.Popen[str], output: Path) -> ModuleType:
    """Wait for datamodel-codegen, then import the module it wrote (RuntimeError if it failed)."""
    _, stderr = process.communicate()
    if process.returncode != 0:
        last = stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"datamodel-codegen exited {process.returncode}: {last[0]}")
    return import_file(output, f"bench_peer_{output.stem}")


def import_file(path: Path, name: str) -> ModuleType:
    """Import a generated module from a file, registered in sys.modules so pydantic can resolve
    its postponed annotations."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
