"""invitegen: OpenAPI -> typed Python client, JSON Schemas and compiled validators for Graph's invite action."""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__", "compile_schema"]


def __getattr__(name: str) -> object:
    # Imported lazily so `python -m generator --help` does not pay for the compiler's imports.
    if name == "compile_schema":
        from generator.emit.validators import compile_schema

        return compile_schema
    raise AttributeError(name)
