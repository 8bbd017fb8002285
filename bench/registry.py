"""The registry of measurements and the runner that times them.

A measurement is a function registered with :func:`measurement`. It receives a
:class:`Context` (quick or full sizes, a scratch directory, a place for notes), does its
untimed preparation (generating data, seeding a database), and returns a *trial*: a function
of no arguments that runs the subject and its floor once and returns a :class:`Sample` of
both times in seconds. The runner calls the trial several times and reports the median,
minimum and maximum of the subject, the median of the floor and their ratio.

The floor is the least work that does the same job (a bare NumPy computation, a plain
``read_excel`` of the same file), timed in the same trial as the subject, so the ratio holds
on a shared, noisy machine where absolute seconds drift from one minute to the next.

A measurement that cannot run here (no PostgreSQL, say) raises :class:`Skip` with the reason.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: Modules whose import registers measurements, in the order their rows appear in the table.
#: To add a measurement, write a function decorated with :func:`measurement` in a module
#: under ``bench/`` and list the module here.
MEASUREMENT_MODULES = ("bench.rag_bench", "bench.benchmarks_bench", "bench.import_bench",
                       "bench.export_bench", "bench.app_bench", "bench.paper_bench", "bench.scale_bench")


@dataclass(frozen=True)
class Sample:
    """One trial: seconds taken by the subject and by its floor."""

    subject: float
    floor: float


@dataclass(frozen=True)
class Target:
    """What a measurement must achieve: at most ``seconds`` for the subject's median and at
    most ``ratio`` times its floor (either may be None: no such limit)."""

    seconds: float | None = None
    ratio: float | None = None
    text: str = ""  # how the target reads in the table; built from the limits if empty

    def describe(self) -> str:
        if self.text:
            return self.text
        parts = []
        if self.seconds is not None:
            parts.append(f"< {self.seconds:g} s")
        if self.ratio is not None:
            parts.append(f"<= {self.ratio:g}x floor")
        return " and ".join(parts) or "-"

    def met(self, subject_median: float, ratio: float) -> bool:
        return (self.seconds is None or subject_median < self.seconds) and (
            self.ratio is None or ratio <= self.ratio)


@dataclass
class Context:
    """What a measurement gets: the mode, a scratch directory and a list for notes.

    ``cleanup(fn)`` registers ``fn`` to run when the measurement is done (dropping a
    database, closing an engine), even if it failed; ``enter(manager)`` does the same for a
    context manager.
    """

    quick: bool
    workdir: Path
    notes: list[str] = field(default_factory=list)
    _stack: ExitStack = field(default_factory=ExitStack)

    def size(self, full: int, quick: int) -> int:
        """``full`` normally, ``quick`` in quick mode."""
        return quick if self.quick else full

    def note(self, text: str) -> None:
        self.notes.append(text)

    def cleanup(self, fn: Callable[[], object]) -> None:
        self._stack.callback(fn)

    def enter(self, manager):
        """Enter the context manager ``manager`` (a server, say) until the measurement is done;
        returns what it yields."""
        return self._stack.enter_context(manager)


Trial = Callable[[], Sample]


@dataclass(frozen=True)
class Measurement:
    name: str
    description: str
    target: Target
    prepare: Callable[[Context], Trial]
    warmup: bool = True  # run the trial once untimed first (caches, lazy imports, page faults)
    unit: str = "s"  # what a Sample holds: seconds, or e.g. "MB" for a memory measurement
    quick_warmup: bool = True  # False: no warm-up in quick mode (a slow check, not a measurement)
    trials: int | None = None  # timed trials in a full run if not the command's (slow measurements)


class Skip(Exception):
    """The measurement cannot run on this machine; the message says why."""


_REGISTRY: dict[str, Measurement] = {}


def measurement(name: str, description: str, target: Target, warmup: bool = True, unit: str = "s",
                quick_warmup: bool = True, trials: int | None = None):
    """Register the decorated ``prepare(context) -> trial`` function under ``name``.

    ``unit``: what the trial's :class:`Sample` holds, seconds by default (``"MB"`` for memory).
    ``quick_warmup=False`` skips the warm-up in quick mode (slow trials, such as a browser's).
    ``trials``: how many timed trials a full run makes when the command does not say
    (``--repeat``); for measurements whose one trial takes minutes.
    """

    def register(prepare: Callable[[Context], Trial]) -> Callable[[Context], Trial]:
        if name in _REGISTRY:
            raise ValueError(f"measurement {name!r} is registered twice")
        _REGISTRY[name] = Measurement(name, description, target, prepare, warmup, unit, quick_warmup,
                                     trials)
        return prepare

    return register


def registry() -> dict[str, Measurement]:
    """Every registered measurement by name, after importing :data:`MEASUREMENT_MODULES`."""
    import importlib

    for module in MEASUREMENT_MODULES:
        importlib.import_module(module)
    return dict(_REGISTRY)


def select(measurements: dict[str, Measurement], only: list[str] | None) -> list[Measurement]:
    """The measurements named in ``only`` (a name or a prefix of names, e.g. ``rag_1m``), or all."""
    if not only:
        return list(measurements.values())
    chosen = [m for m in measurements.values() if any(m.name.startswith(o) for o in only)]
    unknown = [o for o in only if not any(m.name.startswith(o) for m in measurements.values())]
    if unknown:
        raise KeyError(f"no measurement named {', '.join(unknown)}; known: {', '.join(measurements)}")
    return chosen


@dataclass
class Result:
    """The summary of one measurement, or why it was skipped or failed."""

    measurement: Measurement
    samples: list[Sample] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    quick: bool = False

    @property
    def subject(self) -> list[float]:
        return [s.subject for s in self.samples]

    @property
    def floor(self) -> list[float]:
        return [s.floor for s in self.samples]

    @property
    def subject_median(self) -> float:
        return statistics.median(self.subject)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor)

    @property
    def ratio(self) -> float:
        return self.subject_median / self.floor_median if self.floor_median > 0 else float("inf")

    @property
    def met(self) -> str:
        """yes / NO against the target; quick sizes are too small to judge ("n/a")."""
        if self.skipped is not None:
            return "skipped"
        if self.quick:
            return "n/a (quick)"
        if self.measurement.target.seconds is None and self.measurement.target.ratio is None:
            return "-"  # reported, not judged
        return "yes" if self.measurement.target.met(self.subject_median, self.ratio) else "NO"


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """Collect garbage before a timed run and keep the collector out of it, so one trial does
    not pay for the garbage of another."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def timed(fn: Callable[[], object]) -> float:
    """Seconds (wall clock) that ``fn()`` takes."""
    with _quiet_gc():
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start


def run(m: Measurement, quick: bool, repeats: int, workdir: Path,
        log: Callable[[str], None] = lambda _: None, repeats_given: bool = True) -> Result:
    """Prepare ``m`` once, then time ``repeats`` trials (after an untimed warm-up); ``m.trials``
    instead in a full run when ``repeats`` was not given on the command line."""
    if m.trials and not quick and not repeats_given:
        repeats = m.trials
    result = Result(m, quick=quick)
    context = Context(quick=quick, workdir=workdir)
    with context._stack:
        try:
            trial = m.prepare(context)
            if m.warmup and (m.quick_warmup or not quick):
                trial()
            for i in range(repeats):
                sample = trial()
                log(f"  {m.name} trial {i + 1}/{repeats}: subject {sample.subject:.3f} {m.unit}, "
                    f"floor {sample.floor:.3f} {m.unit}")
                result.samples.append(sample)
        except Skip as skip:
            result.skipped = str(skip)
    result.notes = context.notes
    return result
