"""Runtime modules of every generated package: real Python, copied verbatim (plus the header).

Nothing here depends on the spec. `emit.client` copies each `*.py` file of this folder except this
one into the generated package, where they import each other relatively (`from .types import ...`).
`validators.pyi` describes the one name they need from the compiled validators module, so mypy
and ruff check these files where they live. The generator itself never imports them.
"""
