"""The command line, for scheduled jobs and for people who prefer it: ``python manage.py COMMAND``.

An entry point beside ``app.py``: it reads and writes the database (``data_loaders``) and calls
the domain (``performance``), which imports neither. ``python -m performance`` still works: it
says the command has moved and runs this file.

Every command uses the database named by ``DATABASE_URL`` (default: the embedded SQLite
file, created and seeded from ``indicators.xlsx`` on first use).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
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
    period = args.period or rag.latest_period_with_data(register, framework)
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


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _describe_database(engine) -> str:
    """Which data an export came from: the database (no password) and its newest load."""
    from data_loaders.database import data_version, demo_enabled

    url = engine.url.render_as_string(hide_password=True)
    demo = "illustrative demo values shown" if demo_enabled() else "illustrative demo values off"
    return f"{url} (load {data_version(engine)}; {demo})"


def _progress_printer(what: str):
    def progress(done: int, total: int) -> None:
        print(f"\r{what} {done}/{total}", end="", file=sys.stderr, flush=True)
    return progress


def _export_setup(args):
    """Database, register, framework and period of an export; an int exit status when refused."""
    from performance.periods import PeriodError, parse_period

    engine, register = _open()
    try:
        framework = _default_framework(register, args.framework)
    except SystemExit as refused:
        return _refuse(str(refused))
    try:
        period = str(parse_period(args.period))
    except PeriodError as exc:
        return _refuse(f"--period: {exc}")
    return engine, register, framework, period


def _rated(register, framework: str, periods: list[str] | None):
    from performance import overview, rag

    rated = overview.with_register_columns(rag.rate(register, periods=periods), register)
    return rated[rated["framework"] == framework]


def _outside_framework(register, framework: str, period: str) -> int:
    fw = register.frameworks.set_index("framework").loc[framework]
    return _refuse(f"--period: {period} is outside {framework} ({fw['first_year']} to {fw['last_year']})")


def _log_export(event: str, start: float, out: Path, rows: int, framework: str, period: str) -> None:
    from performance.events import log_event

    log_event(event, who=getpass.getuser(), seconds=time.perf_counter() - start, file=str(out), rows=rows,
              framework=framework, period=period, via="command line")


def cmd_export(args) -> int:
    from performance import exports, overview
    from performance.vocabulary import STATUS_LABELS, STATUSES

    start = time.perf_counter()
    setup = _export_setup(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period = setup
    boards = register.theme_boards
    if "framework" in boards.columns:
        boards = boards[boards["framework"] == framework]
    known_boards = sorted(set(boards["theme_board"]))
    if args.theme_board and args.theme_board not in known_boards:
        return _refuse(f"unknown theme board '{args.theme_board}'; known: {', '.join(known_boards)}")
    by_label = {**{s: s for s in STATUSES}, **{label.lower(): s for s, label in STATUS_LABELS.items()}}
    statuses = []
    for word in (w.strip() for w in (args.status or "").split(",")):
        if not word:
            continue
        if word.lower() not in by_label:
            return _refuse(f"unknown status '{word}'; known: {', '.join(STATUSES)}")
        statuses.append(by_label[word.lower()])

    rated = _rated(register, framework, [period])
    if not (rated["period"] == period).any():
        return _outside_framework(register, framework, period)
    filters = overview.Filters(theme_board=[args.theme_board] if args.theme_board else [], status=statuses)
    table = exports.overview_table(overview.apply_filters(rated, filters, framework), period)
    out = Path(args.out)
    if out.suffix.lower() == ".csv":
        data = exports.table_csv(table)
    else:
        about = {"Framework": framework, "Period": period, "Filters": filters.describe(),
                 "Data": _describe_database(engine)}
        data = exports.table_workbook(table, title=f"Indicator parts, {period}", about=about,
                                      progress=_progress_printer("writing"), settings=register.settings)
        print(file=sys.stderr)
    out.write_bytes(data)
    _log_export("export", start, out, len(table), framework, period)
    print(f"wrote {out} ({len(table)} rows)")
    return 0


def cmd_report_pack(args) -> int:
    from performance import exports

    if Path(args.out).suffix.lower() != ".xlsx":
        return _refuse(f"--out: a report pack is a workbook; give a file name ending .xlsx, not {args.out}")
    start = time.perf_counter()
    setup = _export_setup(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period = setup
    rated = _rated(register, framework, None)
    rows = int((rated["period"] == period).sum())
    if not rows:
        return _outside_framework(register, framework, period)
    data = exports.report_pack(register, rated, period, framework=framework,
                               about={"Data": _describe_database(engine)},
                               progress=_progress_printer("writing"))
    print(file=sys.stderr)
    Path(args.out).write_bytes(data)
    _log_export("report_pack", start, Path(args.out), rows, framework, period)
    print(f"wrote {args.out} ({rows} rows)")
    return 0


def cmd_users(args) -> int:
    from data_loaders import users
    from data_loaders.database import open_database

    engine = open_database()
    if args.users_command == "list":
        print(users.list_users(engine).to_csv(index=False), end="")
        return 0
    scope_kind, scope_value = "", ""
    if args.scope:
        scope_kind, _, scope_value = args.scope.partition("=")
        if not scope_value:
            print("--scope: write it as theme_board=NAME or lead_partner=NAME", file=sys.stderr)
            return 2
    try:
        if args.users_command == "add":
            done = users.grant(engine, args.email, args.role, scope_kind=scope_kind,
                               scope_value=scope_value, actor=args.actor)
            print(f"granted {args.role} to {args.email.lower()}" if done
                  else f"{args.email.lower()} already has {args.role}")
        else:
            done = users.revoke(engine, args.email, args.role, scope_kind=scope_kind,
                                scope_value=scope_value, actor=args.actor)
            print(f"removed {args.role} from {args.email.lower()}" if done
                  else f"{args.email.lower()} does not have {args.role}")
    except users.UnknownRole as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def cmd_health(args) -> int:
    from data_loaders.operations import health

    result = health()
    print(("ok: " if result.ok else "not ok: ") + result.reason, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def cmd_backup(args) -> int:
    from data_loaders.operations import OperationRefused, backup

    try:
        out = backup(args.out, who=getpass.getuser())
    except OperationRefused as refused:
        return _refuse(f"backup refused: {refused}")
    print(f"backed up to {out} ({out.stat().st_size:,} bytes)")
    return 0


def cmd_restore(args) -> int:
    from data_loaders.operations import OperationRefused, restore

    try:
        kept = restore(args.file, who=getpass.getuser())
    except OperationRefused as refused:
        return _refuse(f"restore refused; nothing changed: {refused}")
    print(f"restored {args.file}" + (f"; the database it replaced is kept as {kept}" if kept else ""))
    return 0


def cmd_public_frameworks(args) -> int:
    from data_loaders.database import open_database, read_register
    from data_loaders.public import PUBLIC_FRAMEWORKS_SETTING, public_frameworks, set_public_frameworks

    engine = open_database()
    if args.names is not None:
        known = read_register(engine, include_demo=False).frameworks["framework"].tolist()
        unknown = [n for n in args.names if n not in known]
        if unknown:
            return _refuse(f"unknown framework {', '.join(unknown)}; known: {', '.join(known)}")
        set_public_frameworks(engine, args.names, actor=f"command line ({getpass.getuser()})")
    names = public_frameworks(engine)
    shown = "; ".join(names) if names else "none (the public page says so)"
    print(f"{PUBLIC_FRAMEWORKS_SETTING}: {shown}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python manage.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("seed", help="load indicators.xlsx into the database (idempotent)")
    p.add_argument("--register", default=str(Path(__file__).resolve().parent / "indicators.xlsx"))
    p.add_argument("--loaded-by", default=getpass.getuser())
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser("rag", help="print the RAG status of every indicator part as CSV")
    p.add_argument("--period", help='e.g. "2009/10 Q3"; default: the latest period with data')
    p.add_argument("--theme-board")
    p.add_argument("--framework")
    p.set_defaults(func=cmd_rag)

    p = sub.add_parser("users", help="grant or remove roles (the first admin is made here)")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    for name, text in (("add", "grant a role"), ("remove", "remove a role")):
        q = users_sub.add_parser(name, help=text)
        q.add_argument("email")
        q.add_argument("--role", required=True, help="viewer, editor, performance_officer or admin")
        q.add_argument("--scope", help="for editors: theme_board=NAME or lead_partner=NAME")
        q.add_argument("--actor", default=f"command line ({getpass.getuser()})")
        q.set_defaults(func=cmd_users)
    users_sub.add_parser("list", help="list every grant").set_defaults(func=cmd_users)

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

    p = sub.add_parser("export", help="write the overview's table of indicator parts for a period "
                                     "(.xlsx, or .csv)")
    p.add_argument("--period", required=True, help='e.g. "2009/10 Q3"')
    p.add_argument("--out", required=True, help="FILE.xlsx, or FILE.csv for CSV")
    p.add_argument("--framework")
    p.add_argument("--theme-board")
    p.add_argument("--status", help="comma-separated statuses, e.g. red,amber")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report-pack", help="write the quarterly report pack (.xlsx) for a period")
    p.add_argument("--period", required=True, help='e.g. "2009/10 Q3"')
    p.add_argument("--out", required=True, help="FILE.xlsx")
    p.add_argument("--framework")
    p.set_defaults(func=cmd_report_pack)

    p = sub.add_parser("health", help="check the database is reachable and at the newest schema "
                                     "(exit 0, or 1 with the reason)")
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("backup", help="a consistent copy of the embedded SQLite database, "
                                     "safe while the app runs")
    p.add_argument("--out", required=True, help="FILE to write")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the embedded SQLite database with a backup "
                                      "(the replaced one is kept beside it)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("public-frameworks", help="show, or set, which frameworks the public "
                                                "scorecard shows")
    p.add_argument("names", nargs="*", default=None,
                   help="framework names; give --none to make none public")
    p.add_argument("--none", action="store_true", help="make no framework public")
    p.set_defaults(func=cmd_public_frameworks)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 on success and 2 when input is refused."""
    from performance import events

    args = build_parser().parse_args(argv)
    if getattr(args, "none", False):
        args.names = []
    elif getattr(args, "names", None) == []:
        args.names = None  # no names given: only show the setting
    events.configure()
    try:
        status = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (``| head``): no traceback; stdout goes nowhere from here so
        # that Python's own flush at exit does not fail again (the Python docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
