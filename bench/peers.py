"""Where the benchmark finds things: the repository, our schemas, peer modules and versions."""

from __future__ import annotations

import importlib
import sys
from importlib import metadata
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "driveitem-invite.yaml"
SCHEMA_DIR = ROOT / "generated" / "schemas"
BIN_DIR = Path(sys.executable).parent
# Distributions whose versions results.json records (ours first, then the peers).
DISTRIBUTIONS = (
    "invitegen",
    "graph-invite",
    "black",
    "httpx",
    "jsonschema",
    "rfc3339-validator",
    "rfc3986-validator",
    "fastjsonschema",
    "jsonschema-rs",
    "pydantic",
    "pydantic-core",
    "email-validator",
    "datamodel-code-generator",
    "msgspec",
    "msgraph-sdk",
    "microsoft-kiota-abstractions",
)


def schema_name(kind: str) -> str:
    """'request' -> 'invite_request': the schema file and validator suffix for a payload kind."""
    return f"invite_{kind}"


def optional_module(name: str) -> ModuleType | None:
    """The peer module, or None when it is not installed (the benchmark then says so)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def versions() -> dict[str, str]:
    """Installed version of every distribution the benchmark touches ('-' when absent)."""
    found: dict[str, str] = {}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    return found


def tool(name: str) -> str:
    """The console script installed next to this interpreter (invitegen, datamodel-codegen)."""
    return str(BIN_DIR / name)
