"""Plain-text tables of one run: medians, ratios to the floor, ours against each peer, targets.

Every table is drawn on one clock: wall time (`perf_counter_ns`, the default) or CPU time
(`--clock cpu`), so a table never mixes the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bench import models, validation
from bench.corpus import node_count
from bench.results import BARE, Clock, Results, clocked
from bench.targets import Target

PEERS = ("jsonschema", "fastjsonschema", "jsonschema-rs")
# Above this share of disturbed timings the machine was busy with other work during the run.
BUSY_SHARE = 0.1
CLOCK_NAMES = {"wall": "wall-clock, perf_counter_ns", "cpu": "CPU time, process_time_ns"}


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the rest right."""
    widths = [max(len(row[index]) for row in [headers, *rows]) for index in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    return "\n".join([line(headers), line(["-" * width for width in widths]), *map(line, rows)])


def _times(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def _measured(timings: Mapping[str, Mapping[str, object]], name: str) -> bool:
    return any(name in by_name for by_name in timings.values())


def validation_table(results: Results, clock: Clock) -> str:
    """Per payload: the floor in µs, every validator as a multiple of it, ours vs each peer.

    The compiled build's columns (`compiled`, `jsonschema-rs/compiled`) appear only when it ran.
    """
    compiled = _measured(results.validation, "compiled")
    names = [
        name for name in validation.NAMES if name != "floor" and (compiled or name != "compiled")
    ]
    pairs = [(peer, "ours") for peer in PEERS] + (
        [("jsonschema-rs", "compiled")] if compiled else []
    )
    headers = ["payload", "nodes", "floor µs", *names, *(f"{peer}/{ours}" for peer, ours in pairs)]
    rows = []
    for payload in results.payloads:
        timings = results.validation.get(payload.name, {})
        if "floor" not in timings:
            continue
        ratios = [results.ratio("validation", payload.name, name, "floor", clock) for name in names]
        speedups = [
            results.ratio("validation", payload.name, peer, ours, clock) for peer, ours in pairs
        ]
        floor = f"{clocked(timings['floor'], clock) / 1000:,.1f}"
        cells = [_times(ratio) for ratio in (*ratios, *speedups)]
        rows.append([payload.name, str(node_count(payload.data)), floor, *cells])
    return table(headers, rows)


def models_table(results: Results, clock: Clock) -> str:
    """Decoding as a multiple of the floor walk, encoding as a multiple of the floor rebuild."""
    compiled = _measured(results.models, "from_dict(compiled)")
    decoders = [
        name
        for name in models.DECODERS
        if name != "floor" and (compiled or name != "from_dict(compiled)")
    ]
    encoders = [name for name in models.ENCODERS if name != "rebuild"]
    bases = ["from_dict", *(["from_dict(compiled)"] if compiled else [])]
    speedups = [f"pydantic/{base}" for base in bases]
    headers = ["payload", "floor µs", *decoders, *speedups, "rebuild µs", *encoders]
    rows = []
    for payload in results.payloads:
        timings = results.models.get(payload.name, {})
        if "floor" not in timings or "rebuild" not in timings:
            continue
        ratio = results.ratio
        decoded = [ratio("models", payload.name, name, "floor", clock) for name in decoders]
        decoded += [ratio("models", payload.name, "pydantic", base, clock) for base in bases]
        encoded = [ratio("models", payload.name, name, "rebuild", clock) for name in encoders]
        floor = f"{clocked(timings['floor'], clock) / 1000:,.1f}"
        rebuild = f"{clocked(timings['rebuild'], clock) / 1000:,.1f}"
        rows.append([payload.name, floor, *map(_times, decoded), rebuild, *map(_times, encoded)])
    return table(headers, rows)


def process_table(results: Results) -> str:
    """Generation and import medians on both clocks (imports net of a bare interpreter)."""
    rows = [
        [
            f"generate: {name}",
            f"{timing.median_ns / 1e9:.2f} s",
            f"{timing.cpu_ns / 1e9:.2f} s",
            str(len(timing.runs_ns)),
        ]
        for name, timing in results.generation.items()
    ]
    for name, timing in results.imports.items():
        label = "start: bare interpreter" if name == BARE else f"import {name} (net)"
        wall = timing.median_ns if name == BARE else results.import_ns(name, "wall")
        cpu = timing.cpu_ns if name == BARE else results.import_ns(name, "cpu")
        cells = [f"{(value or 0.0) / 1e6:.1f} ms" for value in (wall, cpu)]
        rows.append([label, *cells, str(len(timing.runs_ns))])
    return table(["whole process", "wall", "CPU", "runs"], rows)


def import_profile_text(results: Results) -> str:
    """The heaviest parts of each timed import (`python -X importtime`, cumulative ms)."""
    lines = []
    for module, profile in results.import_profile.items():
        parts = profile.get("parts")
        total = profile.get("total_us")
        if not isinstance(parts, list) or not parts or not isinstance(total, int):
            continue
        listed = ", ".join(f"{name} {microseconds / 1000:.0f}" for name, microseconds in parts)
        lines.append(
            f"  import {module}: {total / 1000:.0f} ms under -X importtime; "
            f"heaviest parts inside {profile.get('split_at')} (ms): {listed}"
        )
    return "\n".join(lines)


def targets_text(targets: Sequence[Target]) -> str:
    """One line per target: verdict, goal, numbers."""
    return "\n".join(f"  {target.status:<4}  {target.goal}: {target.detail}" for target in targets)


def header_text(results: Results) -> str:
    """The machine and the versions every number depends on."""
    machine = results.machine
    versions = ", ".join(f"{name} {version}" for name, version in results.versions.items())
    return (
        f"machine: {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
        f"{machine['python']}, {machine['platform']}\nversions: {versions}"
    )


def load_text(results: Results, clock: Clock, other_targets: Sequence[Target]) -> str:
    """How disturbed the run was; when the machine was busy, the targets on the other clock."""
    share = results.disturbed_share()
    if share is None:
        return ""
    text = (
        f"\nMachine load: {share:.0%} of the in-process timings lost over 10% of their wall time "
        f"to other processes; CPU pressure (/proc/pressure/cpu, some avg60) "
        f"{results.machine.get('cpu_pressure_start', 'n/a')} at the start, "
        f"{results.machine.get('cpu_pressure_end', 'n/a')} at the end"
    )
    if share <= BUSY_SHARE:
        return text
    other: Clock = "wall" if clock == "cpu" else "cpu"
    return (
        f"{text}.\nThe machine was busy: wall-clock ratios are noisy (rerun on an idle machine, "
        f"or with --clock cpu). Targets on {CLOCK_NAMES[other]}:\n" + targets_text(other_targets)
    )


def full_report(
    results: Results, clock: Clock, targets: Sequence[Target], other_targets: Sequence[Target]
) -> str:
    """The whole printed report, tables and targets on `clock`."""
    sections = [
        header_text(results),
        f"\nValidation, {CLOCK_NAMES[clock]} medians: floor = recursive isinstance walk, other "
        "columns = x floor (lower is better); peer/ours = how many times faster ours is",
        validation_table(results, clock),
        f"\nModels (valid payloads), {CLOCK_NAMES[clock]} medians: decoders x floor walk, "
        "encoders x floor rebuild (recursive dict/list copy); pydantic/from_dict = our speedup",
        models_table(results, clock),
        "\nWhole processes (a fresh subprocess per run; medians; CPU = user + system of the child)",
        process_table(results),
        import_profile_text(results),
        f"\nTargets ({CLOCK_NAMES[clock]} medians)",
        targets_text(targets),
        load_text(results, clock, other_targets),
    ]
    if results.notes:
        sections += ["\nNotes", "\n".join(f"  - {note}" for note in results.notes)]
    sections.append(f"\nTotal benchmark time {results.elapsed_s:.0f} s")
    return "\n".join(section for section in sections if section)
