"""The command line, for scheduled jobs and for people who prefer it.

Every command uses the database named by ``DATABASE_URL`` (default: the embedded SQLite
file, created and seeded from ``indicators.xlsx`` on first use).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def _open():
    from data_loaders.database import open_database, read_register

    engine = open_database()
    return engine, read_register(engine)


def _default_framework(register, name: str | None) -> str:
    names = register.frameworks["framework"].tolist()
    if name is None:
        return names[0]
    if name not in names:
        raise SystemExit(f"unknown framework '{name}'; known: {', '.join(names)}")
    return name


def cmd_seed(args) -> int:
    from data_loaders.database import make_engine, seed_register, upgrade
    from data_loaders.excel import WorkbookRefused

    engine = make_engine()
    upgrade(engine)
    try:
        result = seed_register(engine, args.register, loaded_by=args.loaded_by)
    except WorkbookRefused as refused:
        print(f"{args.register} refused:", file=sys.stderr)
        for error in refused.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    print("register loaded" if result["changed"] else "register unchanged (already loaded)",
          f"(load {result['load_id']}, {result['rows_written']} rows written)")
    return 0


def cmd_template(args) -> int:
    from data_loaders.returns_file import build_template
    from performance.periods import PeriodError
    from performance.register import filter_indicators

    _, register = _open()
    framework = _default_framework(register, args.framework)
    parts = filter_indicators(register.indicators, framework=framework,
                              theme_boards=[args.theme_board] if args.theme_board else None,
                              lead_partners=[args.lead_partner] if args.lead_partner else None)
    try:
        data = build_template(register, framework, args.period, parts)
    except PeriodError as exc:
        print(f"--period: {exc}", file=sys.stderr)
        return 2
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out}")
    return 0


def cmd_import_returns(args) -> int:
    from data_loaders.database import ReturnConflict, file_checksum, store_returns
    from data_loaders.returns_file import check_returns_file

    engine, register = _open()
    path = Path(args.file)
    data = path.read_bytes()
    check = check_returns_file(register, data, path.name)
    for warning in check.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not check.ok:
        print(f"{path.name} refused; nothing was stored:", file=sys.stderr)
        for error in check.errors:
            print(f"  {error}", file=sys.stderr)
        return 2

    def progress(done: int, total: int) -> None:
        print(f"\rstoring {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        result = store_returns(engine, check.rows, file_name=path.name,
                               checksum=file_checksum(data), submitted_by=args.submitted_by,
                               progress=progress)
    except ReturnConflict as conflict:
        print(f"\n{conflict}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    print(f"imported {path.name}: {result['summary']} (load {result['load_id']})")
    return 0


RAG_CSV_COLUMNS = ["code", "part", "period", "value", "target", "status", "direction",
                   "direction_year", "reason"]


def cmd_rag(args) -> int:
    from performance import rag
    from performance.periods import PeriodError, parse_period

    _, register = _open()
    framework = _default_framework(register, args.framework)
    period = args.period or rag.latest_period_with_data(register)
    if period is None:
        print("no values recorded yet; give --period", file=sys.stderr)
        return 2
    try:
        period = str(parse_period(period))
    except PeriodError as exc:
        print(f"--period: {exc}", file=sys.stderr)
        return 2
    rated = rag.rate(register, periods=[period])
    rated = rated[rated["framework"] == framework]
    if args.theme_board:
        boards = set(register.theme_boards["theme_board"])
        if args.theme_board not in boards:
            print(f"unknown theme board '{args.theme_board}'; known: {', '.join(sorted(boards))}",
                  file=sys.stderr)
            return 2
        rated = rated[rated["theme_board"] == args.theme_board]
    rated = rated.assign(reason=rag.explain(rated, register).to_numpy())
    rated[RAG_CSV_COLUMNS].to_csv(sys.stdout, index=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m performance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("seed", help="load indicators.xlsx into the database (idempotent)")
    p.add_argument("--register", default=str(Path(__file__).resolve().parents[1] / "indicators.xlsx"))
    p.add_argument("--loaded-by", default=getpass.getuser())
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser("rag", help="print the RAG status of every indicator part as CSV")
    p.add_argument("--period", help='e.g. "2009/10 Q3"; default: the latest period with data')
    p.add_argument("--theme-board")
    p.add_argument("--framework")
    p.set_defaults(func=cmd_rag)

    p = sub.add_parser("template", help="write a returns template for a period")
    p.add_argument("--period", required=True, help='e.g. "2009/10 Q3"')
    p.add_argument("--out", required=True)
    p.add_argument("--framework")
    p.add_argument("--theme-board")
    p.add_argument("--lead-partner")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import-returns", help="check and store a filled-in returns template")
    p.add_argument("file")
    p.add_argument("--submitted-by", default=getpass.getuser())
    p.set_defaults(func=cmd_import_returns)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 on success and 2 when input is refused."""
    args = build_parser().parse_args(argv)
    return args.func(args)
