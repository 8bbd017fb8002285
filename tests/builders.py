"""One builder for test registers: a small, valid ``indicators.xlsx`` that tests then spoil.

Tests call :func:`register_rows` for the rows, change what they need, and
:func:`write_register` to save a real workbook with openpyxl.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from performance import vocabulary as v

FW = "Luton LAA 2008-11"
SRC = "001_7c62a6d3c6b93d0e.txt line 314"


def _indicator(code, part="", **kw):
    row = dict(framework=FW, code=code, part=part, kind="designated", title=f"Title of {code}",
               theme="Children & Young People", theme_board="Children and Young People's Trust Board",
               unit="percent", polarity="lower_is_better", measure="snapshot", frequency="quarterly",
               baseline=7.2, baseline_period="2007/08", baseline_text="7.2%", tolerance_pct=None,
               comparator="", lead_partner="Campus Luton", partners="Campus Luton*, LBC",
               reward_eligible="yes", status="active", notes="", source=SRC)
    row.update(kw)
    return row


def _target(code, year, value, part="", **kw):
    row = dict(framework=FW, code=code, part=part, year=year, value=value, text=f"*{value}%",
               status="set", version="original", effective_from=dt.date(2008, 4, 1),
               decided_by="LAA agreed with Government Office for the Eastern Region", source=SRC)
    row.update(kw)
    return row


def register_rows() -> dict[str, list[dict]]:
    """Rows of a small valid register, sheet by sheet (header = keys of the first row)."""
    return {
        v.SHEET_FRAMEWORKS: [dict(framework=FW, title="Luton's Local Area Agreement 2008-2011",
                                  first_year="2008/09", last_year="2010/11", own_area="Luton",
                                  source="001_7c62a6d3c6b93d0e.txt line 275")],
        v.SHEET_INDICATORS: [
            _indicator("NI 117"),
            _indicator("NI 120", "male", unit="rate_per_100000", baseline=791,
                       baseline_text="791 (m) 561 (f)", theme_board="Health and Well-Being Board"),
            _indicator("NI 120", "female", unit="rate_per_100000", baseline=561,
                       baseline_text="791 (m) 561 (f)", theme_board="Health and Well-Being Board"),
            _indicator("NI 155", kind="local", unit="count", polarity="higher_is_better",
                       measure="cumulative_in_year", baseline=None, baseline_period="",
                       baseline_text="Not applicable", theme="Local Economy and Environmental Sustainability",
                       theme_board="Environment and Economy Board", lead_partner="LBC"),
        ],
        v.SHEET_TARGETS: [
            _target("NI 117", "2008/09", 6.9), _target("NI 117", "2009/10", 6.5),
            _target("NI 117", "2010/11", 6.2),
            _target("NI 120", "2009/10", 770, part="male", text="*770 (m)"),
            _target("NI 120", "2009/10", 575, part="female", text="*575 (f)"),
            _target("NI 155", "2009/10", 80, text="80"),
        ],
        v.SHEET_RETURNS: [dict(code="NI 117", part="", area="Luton", period="2009/10", value=6.55,
                               provisional="yes", commentary="unconfirmed",
                               source="001_7c62a6d3c6b93d0e.txt line 576")],
        v.SHEET_THEME_BOARDS: [
            dict(theme_board="Children and Young People's Trust Board", chair="Debbie Jones",
                 theme="Children & Young People"),
            dict(theme_board="Health and Well-Being Board", chair="Penny Furness-Smith",
                 theme="Adult health & well-being"),
            dict(theme_board="Environment and Economy Board", chair="Colin Chick",
                 theme="Local Economy and Environmental Sustainability"),
        ],
        v.SHEET_SETTINGS: [dict(setting=k, value=val) for k, val in v.DEFAULT_SETTINGS.items()],
    }


def write_register(path: Path, rows: dict[str, list[dict]] | None = None) -> Path:
    """Write ``rows`` (default: :func:`register_rows`) as a real .xlsx at ``path``."""
    rows = register_rows() if rows is None else rows
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, records in rows.items():
        ws = wb.create_sheet(sheet)
        if not records:
            continue
        header = list(records[0])
        ws.append(header)
        for record in records:
            ws.append([record.get(h) for h in header])
    wb.save(path)
    return path


def luton_rated(register=None):
    """The real register (``indicators.xlsx``) with its illustrative demo values, rated, and
    the first framework's rows: ``(register, rated, framework)``: what the sub-group would see.
    ``register``: one made by an earlier call (e.g. with a return changed), rated again."""
    import pandas as pd

    from data_loaders.workbook import read_register
    from performance import overview, rag
    from performance.demo import generate_demo_returns

    if register is None:
        register = read_register()
        register.returns = pd.concat([register.returns, generate_demo_returns(register)], ignore_index=True)
    framework = register.frameworks["framework"].iloc[0]
    rated = overview.with_register_columns(rag.rate(register), register)
    return register, rated[rated["framework"] == framework].copy(), framework


# Rows every schema revision since 0001 accepts: a framework, a board, NI 117 with one part.
MINIMAL_ROWS_SQL = (
    "INSERT INTO frameworks (id, name, title, first_year, last_year, own_area, source) "
    "VALUES (1, 'LAA', '', '2008/09', '2010/11', 'Luton', '')",
    "INSERT INTO theme_boards (id, framework_id, name, chair, theme, source) "
    "VALUES (1, 1, 'Board', '', '', '')",
    "INSERT INTO indicators (id, framework_id, code, kind, title, theme, theme_board_id, "
    "lead_partner, partners, reward_eligible, status) "
    "VALUES (1, 1, 'NI 117', 'designated', 'NEET', '', 1, '', '', true, 'active')",
    "INSERT INTO indicator_parts (id, indicator_id, part, unit, polarity, measure, frequency, "
    "baseline_period, baseline_text, rag_scheme, survey_years, comparator, notes, source) "
    "VALUES (1, 1, '', 'percent', 'lower_is_better', 'snapshot', 'quarterly', '', '', '', '', "
    "'', '', '')",
)


def database_at_revision(database_url: str, revision: str, *more_sql: str):
    """A database made by an earlier release: migrated to ``revision`` only, holding
    :data:`MINIMAL_ROWS_SQL` and ``more_sql``; its engine (the caller upgrades and disposes)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from data_loaders.database import REPO_ROOT, make_engine

    engine = make_engine(database_url)
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    with engine.begin() as conn:
        for sql in (*MINIMAL_ROWS_SQL, *more_sql):
            conn.execute(text(sql))
    return engine


def patch_xlsx(data: bytes, edits: dict | None = None, rename: dict[str, str] | None = None) -> bytes:
    """An .xlsx with some of its XML changed by hand, as another program might write it.

    ``edits``: member name -> function of its bytes giving the new bytes. ``rename``: member
    name -> new name; the workbook's relationships and content types are updated to match,
    so the file stays valid (a sheet stored under another part name).
    """
    import io
    import zipfile

    edits, rename = edits or {}, rename or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename in edits:
                content = edits[item.filename](content)
            if item.filename.endswith(".rels") or item.filename == "[Content_Types].xml":
                for old, new in rename.items():
                    content = content.replace(f"/{old}".encode(), f"/{new}".encode())
                    content = content.replace(f'"{old.removeprefix("xl/")}"'.encode(),
                                              f'"{new.removeprefix("xl/")}"'.encode())
            dst.writestr(rename.get(item.filename, item.filename), content)
    return out.getvalue()


def set_cell_xml(ref: str, value: str):
    """An edit for :func:`patch_xlsx`: cell ``ref`` of a sheet holds the number text ``value``
    (``NaN``, ``1e309``), as a program other than Excel can write it."""
    import re

    def edit(xml: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(?:/>|>.*?</c>)', re.DOTALL)
        found = pattern.search(xml)
        assert found, f"cell {ref} is not in the sheet"
        attributes = re.sub(rb'\s t="\w+"', b"", found.group(1))
        return xml[:found.start()] + (b'<c r="' + ref.encode() + b'"' + attributes + b"><v>"
                                      + value.encode() + b"</v></c>") + xml[found.end():]
    return edit
