"""invitegen: OpenAPI -> typed Python client, JSON Schemas and compiled validators for Graph's invite action.

The package root re-exports the version and, lazily, the standalone compiler's `compile_schema`.
May import: `generator.version`, `generator.emit.validators` (inside `__getattr__` only).
"""

from __future__ import annotations

from generator.version import __version__

__all__ = ["__version__", "compile_schema"]


def __getattr__(name: str) -> object:
    # Imported lazily so `python -m generator --help` does not pay for the compiler's imports.
    if name == "compile_schema":
        from generator.emit.validators import compile_schema

        return compile_schema
    raise AttributeError(name)
