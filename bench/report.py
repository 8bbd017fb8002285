"""The machine the benchmarks ran on, and the results as a table and a Markdown file."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib import metadata
from pathlib import Path

from bench.registry import Result

HEADER = ("measurement", "subject median s", "min s", "max s", "floor median s", "ratio",
          "target", "met?")


def _proc_value(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """CPU model, cores, memory, load, Python and library versions, and the date."""
    memory = _proc_value("/proc/meminfo", "MemTotal")
    if memory and memory.endswith(" kB"):
        memory = f"{int(memory.split()[0]) / 2**20:.1f} GiB"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count()
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "CPU": _proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": f"{os.cpu_count()} ({usable} usable by this process)",
        "memory": memory or "unknown",
        "load average (1, 5, 15 min) at start": load,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        **{name: _version(name) for name in ("pandas", "numpy", "pyarrow", "openpyxl", "SQLAlchemy")},
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _s(x: float, unit: str = "s") -> str:
    """Seconds as a bare number (the columns say s); any other unit is written out."""
    return f"{x:.3f}" if unit == "s" else f"{x:.1f} {unit}"


def rows(results: list[Result]) -> list[tuple[str, ...]]:
    """One row of table cells per result."""
    out = []
    for r in results:
        target = r.measurement.target.describe()
        if r.skipped is not None or not r.samples:
            out.append((r.measurement.name, "-", "-", "-", "-", "-", target, r.met))
            continue
        u = r.measurement.unit
        out.append((r.measurement.name, _s(r.subject_median, u), _s(min(r.subject), u),
                    _s(max(r.subject), u), _s(r.floor_median, u), f"{r.ratio:.1f}x", target, r.met))
    return out


def text_table(results: list[Result]) -> str:
    """The table in plain text, columns aligned, for the terminal."""
    table = [HEADER, *rows(results)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results: list[Result]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return "\n".join(lines)


def markdown(results: list[Result], about: dict[str, str], command: str, quick: bool,
             repeats: int) -> str:
    """The results file: how it was made, the machine, the table, and what each row measures."""
    mode = "quick mode: small sizes, a check that the benchmarks run, not a measurement" if quick \
        else "full sizes"
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{command}` ({mode}; {repeats} timed trials per measurement after an untimed "
        "warm-up, unless a measurement's section lists fewer). Each trial times the subject and "
        "its floor back to back; the ratio is subject median / floor median, so it holds on a "
        "noisy, shared machine where the absolute seconds drift.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in about.items()),
        "",
        "## Results",
        "",
        markdown_table(results),
        "",
        "## Measurements",
        "",
    ]
    for r in results:
        m = r.measurement
        lines.append(f"### {m.name}")
        lines.append("")
        lines.append(m.description)
        lines.append("")
        if r.skipped is not None:
            lines.append(f"- skipped: {r.skipped}")
        if r.samples:
            u = m.unit
            lines.append(f"- subject trials ({u}): " + ", ".join(_s(x) for x in r.subject))
            lines.append(f"- floor trials ({u}): " + ", ".join(_s(x) for x in r.floor))
        lines += [f"- {note}" for note in r.notes]
        lines.append("")
    return "\n".join(lines)
