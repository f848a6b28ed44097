"""Opt-in compiled build: `HATCH_BUILD_HOOK_ENABLE_CUSTOM=true pip wheel .` compiles with mypyc.

Without the variable this hook does not run and the wheel is pure Python (the default, the
reference and the fallback). With it, the modules listed under `compile` in pyproject.toml's
`[tool.hatch.build.targets.wheel.hooks.custom]` are compiled by mypyc into native extension
modules placed next to their `.py` sources in a platform wheel: Python imports an extension
module before a source file of the same name, so deleting the `.so` falls back to the `.py`.
Needs a C compiler and the Python headers; mypy (which ships mypyc) is installed by the hook's
`dependencies`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompiledBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles the configured modules with mypyc and adds the extension modules to the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Run mypyc in a scratch copy of the sources; force-include every built extension."""
        if self.target_name != "wheel" or version == "editable":
            return
        modules = [str(module) for module in self.config.get("compile", [])]
        self._scratch = Path(tempfile.mkdtemp(prefix="mypyc-build-"))
        # The package's modules are copied, not only the compiled ones: a compiled module that
        # imports a sibling (models.py imports types.py) is type-checked against it; only the
        # listed modules are compiled. The `__init__` is left empty, so the check follows only
        # what the compiled modules import (not the client and httpx, absent from the build
        # environment); the wheel keeps the real one, in pure Python.
        for package in sorted({Path(module).parent for module in modules}):
            for source in sorted((Path(self.root) / package).glob("*.py")):
                target = self._scratch / package / source.name
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.name == "__init__.py":
                    target.write_text("", encoding="utf-8")
                else:
                    shutil.copyfile(source, target)
            (self._scratch / package).mkdir(parents=True, exist_ok=True)
            (self._scratch / package / "__init__.py").touch()  # mypyc needs the package
        command = [sys.executable, "-m", "mypyc", "--strict", *modules]
        subprocess.run(  # noqa: S603 - our own argv, no shell
            command, cwd=self._scratch, check=True
        )
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        # Each listed module's extension sits in its package; when several modules are compiled,
        # mypyc puts their shared code in one library at the top (`<hash>__mypyc`), imported by
        # those extensions, so it ships at the wheel's root.
        built_files = [*self._scratch.glob(f"*{suffix}"), *self._scratch.glob(f"*/*{suffix}")]
        for built in sorted(built_files):
            relative = built.relative_to(self._scratch).as_posix()
            build_data["force_include"][str(built)] = relative
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the scratch directory once the wheel is written."""
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
