"""Native builds: a Python module compiled by mypyc into an extension module beside it.

`invitegen compile-schema --compiled` writes its module as always, then builds it here (opt-in,
like the generated package's compiled build, `make compiled`): Python imports an extension module
before a source file of the same name, so the `.py` stays the reference and the fallback
(delete the extension to use it). Needs mypyc (it comes with mypy) and a C compiler.

May import: nothing.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The last lines of mypyc's output shown when a build fails.
_SHOWN_LINES = 15


class NativeBuildError(Exception):
    """mypyc is missing, or could not build the module (the message says which and why)."""


def extensions_beside(module: Path) -> list[Path]:
    """The extension modules of `module`'s name in its folder, which Python imports before it."""
    candidates = [
        module.with_name(module.stem + suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES
    ]
    return [path for path in candidates if path.is_file()]


def build_extension(module: Path, *, timeout: float = 1800.0) -> Path:
    """Compile the module at `module` (`<name>.py`) with mypyc into `<name><extension suffix>`
    beside it, replacing any earlier build; return the extension's path.

    mypyc runs in a scratch folder on a copy, so its `build/` and caches never land next to
    the module.
    """
    if not module.stem.isidentifier() or module.suffix != ".py":
        raise NativeBuildError(
            f"{module.name}: a compiled module needs a Python identifier for a name (`name.py`)"
        )
    if importlib.util.find_spec("mypyc") is None:
        raise NativeBuildError("mypyc is not installed: it comes with mypy (pip install mypy)")
    with tempfile.TemporaryDirectory(prefix="invitegen-mypyc-") as scratch:
        folder = Path(scratch)
        shutil.copyfile(module, folder / module.name)
        try:
            completed = subprocess.run(  # noqa: S603 - our own argv, no shell
                [sys.executable, "-m", "mypyc", module.name],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise NativeBuildError(f"mypyc did not finish within {timeout:.0f} s") from None
        built = extensions_beside(folder / module.name)
        if completed.returncode != 0 or not built:
            output = (completed.stdout + completed.stderr).strip().splitlines()
            shown = "\n".join(output[-_SHOWN_LINES:])
            raise NativeBuildError(f"mypyc failed (exit {completed.returncode}):\n{shown}")
        target = module.with_name(built[0].name)
        temporary = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(built[0], temporary)
        temporary.replace(target)
    return target
