"""``python -m bench [--quick] [--out bench/results.md] [--only NAME ...]``: run the benchmarks.

Prints the table (measurement, subject median/min/max seconds, floor median seconds, ratio,
target, met?) and writes it, with a description of the machine, to the results file.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

from bench import registry as reg
from bench import report

DEFAULT_OUT = Path(__file__).resolve().parent / "results.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and 2 trials: checks the benchmarks run (as the tests do)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"results file to write (default: {DEFAULT_OUT})")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="run only these measurements (a name or its prefix, e.g. rag_1m)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="timed trials per measurement (default: 5, quick: 2)")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every trial")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    measurements = reg.registry()
    if args.list:
        for m in measurements.values():
            print(f"{m.name}: {m.target.describe()}")
        return 0
    try:
        chosen = reg.select(measurements, args.only)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    repeats = args.repeat or (2 if args.quick else 5)
    about = report.machine()  # before the runs, so the load average is the machine's own

    def log(line: str) -> None:
        if args.verbose:
            print(line, flush=True)

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for m in chosen:
            print(f"running {m.name} ...", flush=True)
            workdir = Path(scratch) / m.name
            workdir.mkdir()
            results.append(reg.run(m, args.quick, repeats, workdir, log,
                                       repeats_given=args.repeat is not None))
    print()
    print(report.text_table(results))
    for r in results:
        for line in ([f"skipped: {r.skipped}"] if r.skipped else []) + r.notes:
            print(f"  {r.measurement.name}: {line}")
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report.markdown(results, about, command.strip(), args.quick, repeats))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
