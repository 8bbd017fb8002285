"""A database for the public scorecard's tests: published values beside ones the public must
never see (submitted, sent back, internal commentary), each with a distinctive value or word."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from data_loaders import schema as s
from data_loaders import users
from data_loaders.database import open_database, review_returns, store_returns
from data_loaders.public import set_public_frameworks

FRAMEWORK = "Luton LAA 2008-11"
PERIOD = "2009/10 Q3"
PUBLISHED_COMMENTARY = "Published note on temporary accommodation"
# Words and values that must never reach the public page or its downloads.
SECRETS = ("SUBMITTED-SECRET-q9z", "48,213", "48213", "INTERNAL-ONLY-7f3k", "INTERNAL-ACTION-5m",
           "SENT-BACK-x2", "31,975", "31975", "officer.secret@luton.gov.uk", "chair.secret@luton.gov.uk",
           "Sent back: wrong quarter")


def _row(code: str, value: float, commentary: str = "", action: str = "", **extra) -> dict:
    return {"framework": FRAMEWORK, "code": code, "part": "", "period": PERIOD, "value": value,
            "provisional": False, "commentary": commentary, "action": action,
            "forecast_year_end": None, "source": "", "comparator": "", **extra}


def prepare_public_database(url: str, *, public: bool = True):
    """Migrate and seed ``url`` (demo values off: call with DEMO_DATA=off), then store:

    - NI 156: 612 published with published commentary, then 48,213 submitted (awaiting sign-off);
    - NI 181: 17 days published, its commentary and action marked internal;
    - NI 030: 31,975 submitted and sent back.
    """
    engine = open_database(url)
    store_returns(engine, pd.DataFrame([_row("NI 156", 612, PUBLISHED_COMMENTARY),
                                        _row("NI 181", 17, "INTERNAL-ONLY-7f3k", "INTERNAL-ACTION-5m",
                                             commentary_internal=True)]),
                  file_name="published.xlsx", checksum="p", submitted_by="officer.secret@luton.gov.uk")
    store_returns(engine, pd.DataFrame([_row("NI 156", 48213, "SUBMITTED-SECRET-q9z"),
                                        _row("NI 030", 31975, "SENT-BACK-x2")]),
                  file_name="waiting.xlsx", checksum="w", submitted_by="officer.secret@luton.gov.uk",
                  state="submitted")
    with engine.connect() as conn:
        sent_back = conn.execute(select(s.returns.c.id).where(s.returns.c.commentary == "SENT-BACK-x2")
                                 ).scalar_one()
    review_returns(engine, [sent_back], approve=False, actor="chair.secret@luton.gov.uk",
                   reason="Sent back: wrong quarter")
    users.grant(engine, "chair.secret@luton.gov.uk", "admin", actor="test")
    if public:
        set_public_frameworks(engine, [FRAMEWORK], actor="chair.secret@luton.gov.uk")
    return engine
