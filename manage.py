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
    from data_loaders.database import open_database_noting, read_register

    engine, note = open_database_noting()
    if note:  # a broken indicators.xlsx: the database's register is used, and this says why
        print(f"warning: {note}", file=sys.stderr)
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
    except OSError as exc:  # missing or unreadable: say which, without a traceback
        return _refuse(f"{args.register} cannot be read ({exc.strerror or exc}); nothing was loaded")
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
    from data_loaders.database import ReturnConflict, file_checksum, sign_off_required, store_returns
    from data_loaders.returns_file import check_returns_file

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:  # missing, a folder, unreadable: say which, without a traceback
        return _refuse(f"{args.file} cannot be read ({exc.strerror or exc}); nothing was stored")
    engine, register = _open()
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

    # the page's rule: with sign-off on, imported returns wait for a performance officer
    state = "submitted" if sign_off_required(engine) else "published"
    try:
        result = store_returns(engine, check.rows, file_name=path.name,
                               checksum=file_checksum(data), submitted_by=args.submitted_by,
                               state=state, progress=progress)
    except ReturnConflict as conflict:
        print(f"\n{conflict}", file=sys.stderr)
        return 2
    print(file=sys.stderr)
    waiting = "; they wait for a performance officer's sign-off" if state == "submitted" else ""
    print(f"imported {path.name}: {result['summary']} (load {result['load_id']}){waiting}")
    return 0


def cmd_import_comparators(args) -> int:
    """Check and store benchmark values (issue 14): all or nothing, problems by row and column."""
    from data_loaders.benchmarks_store import store_benchmark_values
    from data_loaders.comparators_file import check_comparators_upload
    from data_loaders.database import file_checksum

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:  # missing, a folder, unreadable: say which, without a traceback
        return _refuse(f"{args.file} cannot be read ({exc.strerror or exc}); nothing was stored")
    engine, register = _open()
    # the same check as the Quarterly returns page's upload
    check = check_comparators_upload(engine, register, data, path.name)
    for warning in check.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not check.ok:
        print(f"{path.name} refused; nothing was stored:", file=sys.stderr)
        for error in check.errors:
            print(f"  {error}", file=sys.stderr)
        return 2
    result = store_benchmark_values(engine, check.rows, file_name=path.name,
                                    checksum=file_checksum(data), submitted_by=args.submitted_by)
    print(f"imported {path.name}: {result['summary']} (load {result['load_id']})")
    return 0


def _refused_by_option(refused) -> int:
    """A refused change, one line per problem named by its command-line option."""
    return _refuse("nothing was saved:\n" + "\n".join(
        f"--{field.replace('_', '-')}: {message}" for field, message in refused.problems))


def cmd_neighbours(args) -> int:
    """List a neighbour group's members with their sources, or set, add or remove members."""
    from data_loaders.benchmarks_store import change_group, group_members
    from data_loaders.database import open_database
    from performance.changes import ChangeRefused

    engine = open_database()
    if args.neighbours_command == "list":
        rows = group_members(engine)
        if args.group:
            rows = rows[rows["group"] == args.group]
        print(rows.to_csv(index=False), end="")
        return 0
    try:
        after = change_group(engine, args.neighbours_command, args.group or "Statistical neighbours",
                             [(name, getattr(args, "source", "") or "") for name in args.areas],
                             actor=args.actor, reason=args.reason)
    except ChangeRefused as refused:
        return _refused_by_option(refused)
    group = args.group or "Statistical neighbours"
    print(f"{group}: {', '.join(after) if after else 'no members'}")
    return 0


def cmd_fingertips_id(args) -> int:
    """List, set or remove the Fingertips indicator ID of an indicator part."""
    from data_loaders.benchmarks_store import fingertips_ids, set_fingertips_indicator
    from performance.changes import ChangeRefused

    engine, register = _open()
    try:
        framework = _default_framework(register, args.framework)
    except SystemExit as refused:
        return _refuse(str(refused))
    if args.fingertips_command == "list":
        print(fingertips_ids(engine, framework).drop(columns="framework").to_csv(index=False), end="")
        return 0
    wanted = None if args.fingertips_command == "remove" else args.id
    try:
        set_fingertips_indicator(engine, framework, args.code, args.part, wanted,
                                 source=getattr(args, "source", "") or "", actor=args.actor,
                                 reason=args.reason or "")
    except ChangeRefused as refused:
        return _refused_by_option(refused)
    label = " ".join(filter(None, (args.code, args.part)))
    print(f"{label}: Fingertips indicator {wanted}" if wanted is not None
          else f"{label}: no Fingertips indicator")
    return 0


RAG_CSV_COLUMNS = ["code", "part", "period", "value", "target", "status", "direction",
                   "direction_year", "reason"]
# issue 14: intervals, comparison with the --benchmark area and recent trend (in words)
RAG_BENCHMARK_COLUMNS = ["count", "denominator", "lower_95", "upper_95", "benchmark",
                         "benchmark_value", "compared_with_benchmark", "trend"]


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
    try:
        rated = _with_benchmarks(rated, register, args.benchmark)
    except ValueError as exc:
        return _refuse(f"--benchmark: {exc}")
    rated[RAG_CSV_COLUMNS + RAG_BENCHMARK_COLUMNS].to_csv(sys.stdout, index=False)
    return 0


def _with_benchmarks(rated, register, benchmark: str):
    """The rated rows with intervals, the benchmark comparison and trend, in the client's words."""
    from performance.benchmark_rating import with_labels

    return with_labels(_compared(rated, register, benchmark))


def _compared(rated, register, benchmark: str):
    """The rated rows with intervals, the comparison with ``benchmark`` and trend (codes);
    ``ValueError`` naming the known areas when ``benchmark`` is not one."""
    from data_loaders.benchmarks_store import known_areas, own_series, read_benchmark_values
    from data_loaders.database import make_engine
    from performance.benchmark_rating import with_benchmarks

    engine = make_engine()
    areas = known_areas(engine)
    if benchmark not in areas:
        raise ValueError(f"unknown area '{benchmark}'; known: {', '.join(sorted(areas))}")
    values = read_benchmark_values(engine, register)
    return with_benchmarks(rated, benchmark, values, own_series(engine, register))


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
    try:  # the comparison with --benchmark for the period's rows only
        compared = _compared(rated[rated["period"] == period], register, args.benchmark)
    except ValueError as exc:
        return _refuse(f"--benchmark: {exc}")
    data = exports.report_pack(register, rated, period, framework=framework, compared=compared,
                               about={"Data": _describe_database(engine)},
                               progress=_progress_printer("writing"))
    print(file=sys.stderr)
    Path(args.out).write_bytes(data)
    _log_export("report_pack", start, Path(args.out), rows, framework, period)
    print(f"wrote {args.out} ({rows} rows)")
    return 0


def _cycle_setup(args):
    """Database, register, framework and period of a cycle command; an int exit status when refused."""
    from performance.periods import PeriodError, parse_period

    engine, register = _open()
    try:
        framework = _default_framework(register, args.framework)
        period = str(parse_period(args.period))
    except SystemExit as refused:
        return _refuse(str(refused))
    except PeriodError as exc:
        return _refuse(f"--period: {exc}")
    return engine, register, framework, period


def _as_of(text: str | None):
    import datetime as dt

    return dt.date.fromisoformat(text) if text else None


def _cycle_table(args):
    """Database, register, framework, period and the returns-due table narrowed by --theme-board
    and --lead-partner, for returns-due and remind; an int exit status when refused."""
    from data_loaders.cycle_store import returns_due_table
    from performance import cycle
    from performance.register import lead_partner_options

    setup = _cycle_setup(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period = setup
    indicators = register.indicators[register.indicators["framework"] == framework]
    boards = sorted(set(indicators["theme_board"]))
    if args.theme_board and args.theme_board not in boards:
        return _refuse(f"unknown theme board '{args.theme_board}'; known: {', '.join(boards)}")
    leads = lead_partner_options(indicators)
    if args.lead_partner and args.lead_partner not in leads:
        return _refuse(f"unknown lead partner '{args.lead_partner}'; known: {', '.join(leads)}")
    try:
        table = returns_due_table(engine, register, framework, period, as_of=_as_of(args.as_of))
    except ValueError as exc:
        return _refuse(str(exc))
    return engine, register, framework, period, cycle.filter_table(
        table, theme_board=args.theme_board or "", lead_partner=args.lead_partner or "")


def cmd_returns_due(args) -> int:
    from performance import cycle, exports

    setup = _cycle_table(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period, table = setup
    shown = cycle.display_table(table)
    if args.out and Path(args.out).suffix.lower() == ".xlsx":
        collected, due = cycle.progress(table)
        about = {"Framework": framework, "Period": period,
                 "Filters": f"theme board: {args.theme_board or 'all'}; "
                            f"lead partner: {args.lead_partner or 'all'}",
                 "Collected": f"{collected} of {due}", "Data": _describe_database(engine)}
        Path(args.out).write_bytes(exports.table_workbook(shown, title=f"Returns due, {period}", about=about))
        print(f"wrote {args.out} ({len(shown)} rows)")
        return 0
    data = exports.table_csv(shown)
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"wrote {args.out} ({len(shown)} rows)")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0


def cmd_remind(args) -> int:
    from data_loaders import reminders
    from performance import cycle

    setup = _cycle_table(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period, table = setup
    planned = reminders.plan_reminders(engine, register, framework, period, table=table)
    for r in planned:
        print(f"To: {r.officer} <{r.email}>\nSubject: {r.subject}\nAttached: {r.attachment_name} "
              f"({', '.join(r.part_names)})\n\n{r.body}\n{'-' * 72}")
    nobody = cycle.without_contact(table)
    if len(nobody):
        print(f"no responsible officer kept for {len(nobody)} parts to chase: "
              + ", ".join(f"{c} {p}".strip() for c, p in zip(nobody["code"], nobody["part"], strict=True))
              + " (python manage.py contacts set ...)", file=sys.stderr)
    if not args.send:
        print(f"{len(planned)} {'reminder' if len(planned) == 1 else 'reminders'} would be sent; "
              "nothing sent (add --send to send them)")
        return 0
    try:
        settings = reminders.SmtpSettings.from_env()
        result = reminders.send_reminders(engine, planned, settings, actor=args.actor,
                                          framework=framework, period=period)
    except reminders.MailNotConfigured as exc:
        return _refuse(str(exc))
    except OSError as exc:  # cannot reach the server: nothing was sent
        return _refuse(f"could not send through {os.environ.get('SMTP_HOST')}: {exc}; nothing was sent")
    print(f"sent {len(result.sent)} {'reminder' if len(result.sent) == 1 else 'reminders'}"
          + (f": {', '.join(result.sent)}" if result.sent else ""))
    for email, why in result.failed.items():
        print(f"not sent to {email}: {why}", file=sys.stderr)
    return 2 if result.failed else 0


def cmd_contacts(args) -> int:
    from data_loaders import cycle_store
    from performance.changes import ChangeRefused

    engine, register = _open()
    try:
        framework = _default_framework(register, args.framework)
    except SystemExit as refused:
        return _refuse(str(refused))
    if args.contacts_command == "list":
        print(cycle_store.read_contacts(engine, framework).to_csv(index=False), end="")
        return 0
    try:
        cycle_store.set_contact(engine, framework, lead_partner=args.lead_partner or "",
                                code=args.code or "", part=args.part or "", officer=args.officer,
                                email=args.email, actor=args.actor, reason=args.reason,
                                register=register)
    except ChangeRefused as refused:
        return _refuse("\n".join(f"--{f.replace('_', '-')}: {m}" for f, m in refused.problems))
    print("contact removed" if not args.officer else f"contact kept: {args.officer} <{args.email.lower()}>")
    return 0


def cmd_deadline(args) -> int:
    from data_loaders import cycle_store
    from performance.changes import ChangeRefused

    setup = _cycle_setup(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period = setup
    try:
        due = _as_of(args.date) if args.date != "default" else None
        cycle_store.set_deadline(engine, framework, period, due, actor=args.actor, reason=args.reason)
    except ValueError as exc:  # ChangeRefused too
        problems = exc.problems if isinstance(exc, ChangeRefused) else [("date", str(exc))]
        return _refuse("\n".join(f"--{f}: {m}" for f, m in problems))
    print(f"returns for {period} due {cycle_store.deadline(engine, register, framework, period):%d %B %Y}")
    return 0


def cmd_report_pdf(args) -> int:
    from performance import paper

    if Path(args.out).suffix.lower() != ".pdf":
        return _refuse(f"--out: the paper is a PDF; give a file name ending .pdf, not {args.out}")
    setup = _export_setup(args)
    if isinstance(setup, int):
        return setup
    engine, register, framework, period = setup
    rated = _rated(register, framework, None)
    if not (rated["period"] == period).any():
        return _outside_framework(register, framework, period)
    if args.theme_board:
        known = sorted(set(rated["theme_board"]))
        if args.theme_board not in known:
            return _refuse(f"unknown theme board '{args.theme_board}'; known: {', '.join(known)}")
    try:  # once, for every period the charts show (not per chart)
        charted = rated[rated["theme_board"] == args.theme_board] if args.theme_board else rated
        compared = _compared(charted, register, args.benchmark)
    except ValueError as exc:
        return _refuse(f"--benchmark: {exc}")
    try:
        data = paper.build_paper(register, rated, period, framework=framework, theme_board=args.theme_board,
                                 data_note=_describe_database(engine),
                                 progress=_progress_printer("laying out sections"),
                                 benchmark=args.benchmark, compared=compared)
    except paper.FontMissing as exc:
        return _refuse(str(exc))
    print(file=sys.stderr)
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out}")
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

    p = sub.add_parser("rag", help="print the RAG status of every indicator part as CSV, with codes "
                                  "for scripts (green, no_data, improving); 'export' writes words")
    p.add_argument("--period", help='e.g. "2009/10 Q3"; default: the latest period with data')
    p.add_argument("--theme-board")
    p.add_argument("--framework")
    p.add_argument("--benchmark", default="England",
                   help="area to compare with (England, East of England, Great Britain, ...)")
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

    p = sub.add_parser("import-comparators",
                       help="check and store benchmark values (.xlsx, .csv or a Fingertips download)")
    p.add_argument("file")
    p.add_argument("--submitted-by", default=getpass.getuser())
    p.set_defaults(func=cmd_import_comparators)

    p = sub.add_parser("neighbours", help="the statistical-neighbour group: list its members, or "
                                         "set, add or remove them (each with a source, with a reason)")
    neighbours_sub = p.add_subparsers(dest="neighbours_command", required=True)
    q = neighbours_sub.add_parser("list", help="every group's members and sources (CSV)")
    q.add_argument("--group")
    q.set_defaults(func=cmd_neighbours)
    for name, text in (("set", "replace the members with these"), ("add", "add these members"),
                       ("remove", "remove these members")):
        q = neighbours_sub.add_parser(name, help=text)
        q.add_argument("areas", nargs="*" if name == "set" else "+", metavar="AREA")
        if name != "remove":
            q.add_argument("--source", required=True, help="the list the names were taken from")
        q.add_argument("--reason", required=True)
        q.add_argument("--group", help="default: Statistical neighbours")
        q.add_argument("--actor", default=f"command line ({getpass.getuser()})")
        q.set_defaults(func=cmd_neighbours)

    p = sub.add_parser("fingertips-id", help="which Fingertips indicator an indicator part is "
                                            "(for reading Fingertips data downloads)")
    fingertips_sub = p.add_subparsers(dest="fingertips_command", required=True)
    q = fingertips_sub.add_parser("list", help="every part's Fingertips ID and its source (CSV)")
    q.add_argument("--framework")
    q.set_defaults(func=cmd_fingertips_id)
    q = fingertips_sub.add_parser("set", help="set (or change) a part's Fingertips indicator ID")
    q.add_argument("code")
    q.add_argument("id", help="the Fingertips indicator ID, e.g. 93203")
    q.add_argument("--part", default="")
    q.add_argument("--source", required=True, help="where the ID was looked up")
    q.add_argument("--reason", default="")
    q.add_argument("--framework")
    q.add_argument("--actor", default=f"command line ({getpass.getuser()})")
    q.set_defaults(func=cmd_fingertips_id)
    q = fingertips_sub.add_parser("remove", help="forget a part's Fingertips indicator ID")
    q.add_argument("code")
    q.add_argument("--part", default="")
    q.add_argument("--reason", required=True)
    q.add_argument("--framework")
    q.add_argument("--actor", default=f"command line ({getpass.getuser()})")
    q.set_defaults(func=cmd_fingertips_id)

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
    p.add_argument("--benchmark", default="England",
                   help="the area every part is compared with on the pack's comparison sheet "
                        "(default England)")
    p.set_defaults(func=cmd_report_pack)

    p = sub.add_parser("report-pdf", help="write the Forum's paper (PDF) for a period")
    p.add_argument("--period", required=True, help='e.g. "2009/10 Q3"')
    p.add_argument("--out", required=True, help="FILE.pdf")
    p.add_argument("--framework")
    p.add_argument("--theme-board")
    p.add_argument("--benchmark", default="England",
                   help="the area the paper compares with: its line on every chart and the summary's "
                        "counts (default England)")
    p.set_defaults(func=cmd_report_pdf)

    for name, func, text in (
            ("returns-due", cmd_returns_due,
             "list every part due in a period with its state (CSV, or .xlsx with --out)"),
            ("remind", cmd_remind,
             "print the reminders to officers with returns missing; --send sends them")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--period", required=True, help='e.g. "2009/10 Q3"')
        p.add_argument("--framework")
        p.add_argument("--theme-board")
        p.add_argument("--lead-partner")
        p.add_argument("--as-of", help="date the states are worked out on (YYYY-MM-DD); default today")
        if name == "returns-due":
            p.add_argument("--out", help="FILE.csv or FILE.xlsx; default: CSV on standard output")
        else:
            p.add_argument("--send", action="store_true", help="send them (SMTP_* environment)")
            p.add_argument("--actor", default=f"command line ({getpass.getuser()})")
        p.set_defaults(func=func)

    p = sub.add_parser("contacts", help="the responsible officer of each lead partner or part")
    contacts_sub = p.add_subparsers(dest="contacts_command", required=True)
    q = contacts_sub.add_parser("set", help="keep, change or (empty --officer and --email) remove one")
    q.add_argument("--lead-partner")
    q.add_argument("--code")
    q.add_argument("--part", default="")
    q.add_argument("--officer", required=True)
    q.add_argument("--email", required=True)
    q.add_argument("--reason", required=True)
    q.add_argument("--framework")
    q.add_argument("--actor", default=f"command line ({getpass.getuser()})")
    q.set_defaults(func=cmd_contacts)
    q = contacts_sub.add_parser("list", help="list every contact (CSV)")
    q.add_argument("--framework")
    q.set_defaults(func=cmd_contacts)

    p = sub.add_parser("deadline", help="set the date a period's returns are due ('default': N days after)")
    p.add_argument("--period", required=True)
    p.add_argument("--date", required=True, help="YYYY-MM-DD, or default")
    p.add_argument("--reason", required=True)
    p.add_argument("--framework")
    p.add_argument("--actor", default=f"command line ({getpass.getuser()})")
    p.set_defaults(func=cmd_deadline)

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
    """Run one command; the exit status is 0 on success, 2 when input is refused and 1 when
    the database cannot be used (the message says where it was expected)."""
    import logging

    from data_loaders.database import RegisterUnavailable
    from data_loaders.failures import DatabaseUnavailable

    # the server logs the driver's details of a database failure; here the sentence is enough
    logging.getLogger("lsp").addHandler(logging.NullHandler())

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
    except DatabaseUnavailable as failure:
        # the database itself (down, read-only, missing): one sentence, no traceback or SQL
        print(f"{failure}", file=sys.stderr)
        return 2 if isinstance(failure, RegisterUnavailable) else 1
    except BrokenPipeError:
        # the reader stopped early (``| head``): no traceback; stdout goes nowhere from here so
        # that Python's own flush at exit does not fail again (the Python docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
