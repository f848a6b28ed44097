"""The generator's version: in every generated header and in `invitegen --version`.

Kept equal to `version` in pyproject.toml. A module of its own so that any stage can read it
without importing the package root (which re-exports the compiler).
May import: nothing.
"""

__version__ = "0.2.0"
