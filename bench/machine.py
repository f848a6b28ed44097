"""The machine a run was measured on: CPU model, cores, Python, platform."""

from __future__ import annotations

import os
import platform
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
PRESSURE = Path("/proc/pressure/cpu")


def cpu_model() -> str:
    """The CPU's marketing name (Linux /proc/cpuinfo), else what `platform` knows."""
    try:
        for line in CPUINFO.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict[str, str | int]:
    """CPU model, logical cores (all and usable by this process), Python, OS."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count() or 0,
        "usable_cores": usable or 0,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
    }


def cpu_pressure() -> str:
    """Linux PSI: the share of the last minute some task waited for a CPU ('n/a' elsewhere)."""
    try:
        first = PRESSURE.read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return "n/a"
    fields = dict(field.split("=", 1) for field in first.split()[1:] if "=" in field)
    return f"{fields['avg60']}%" if "avg60" in fields else "n/a"
