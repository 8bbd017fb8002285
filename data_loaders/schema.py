"""The database schema (SQLAlchemy Core). Alembic migrations in ``data_loaders/migrations``
bring a database to it; a test checks the migrations and this module agree."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

loads = Table(
    "loads", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # register, returns, demo
    Column("file_name", String(255), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("loaded_by", String(255), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_written", Integer, nullable=False, default=0),
    Column("summary", Text, nullable=False, default=""),
)

frameworks = Table(
    "frameworks", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_year", String(7), nullable=False),
    Column("last_year", String(7), nullable=False),
    Column("own_area", String(120), nullable=False),
    Column("source", Text, nullable=False, default=""),
)

theme_boards = Table(
    "theme_boards", metadata,
    Column("id", Integer, primary_key=True),
    Column("framework_id", ForeignKey("frameworks.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("chair", String(200), nullable=False, default=""),
    Column("theme", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    UniqueConstraint("framework_id", "name", name="uq_theme_boards_framework_name"),
)

indicators = Table(
    "indicators", metadata,
    Column("id", Integer, primary_key=True),
    Column("framework_id", ForeignKey("frameworks.id"), nullable=False),
    Column("code", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("theme", Text, nullable=False, default=""),
    Column("theme_board_id", ForeignKey("theme_boards.id"), nullable=False),
    Column("lead_partner", Text, nullable=False, default=""),
    Column("partners", Text, nullable=False, default=""),
    Column("reward_eligible", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False, default="active"),
    UniqueConstraint("framework_id", "code", name="uq_indicators_framework_code"),
)

indicator_parts = Table(
    "indicator_parts", metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_id", ForeignKey("indicators.id"), nullable=False),
    Column("part", String(80), nullable=False, default=""),
    Column("unit", String(40), nullable=False),
    Column("polarity", String(20), nullable=False),
    Column("measure", String(30), nullable=False),
    Column("frequency", String(20), nullable=False),
    Column("baseline", Float, nullable=True),
    Column("baseline_period", String(40), nullable=False, default=""),
    Column("baseline_text", Text, nullable=False, default=""),
    Column("tolerance_pct", Float, nullable=True),
    Column("tolerance_points", Float, nullable=True),
    Column("rag_scheme", String(30), nullable=False, default=""),
    Column("survey_years", String(120), nullable=False, default=""),
    Column("comparator", String(120), nullable=False, default=""),
    # The range the part's own figures normally fall in (register columns of the same names):
    # a return outside it is imported with a warning. Either may be NULL (no bound that side).
    Column("plausible_min", Float, nullable=True),
    Column("plausible_max", Float, nullable=True),
    Column("notes", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    UniqueConstraint("indicator_id", "part", name="uq_indicator_parts_indicator_part"),
)

targets = Table(
    "targets", metadata,
    Column("id", Integer, primary_key=True),
    Column("part_id", ForeignKey("indicator_parts.id"), nullable=False),
    Column("year", String(7), nullable=False),
    Column("version", String(20), nullable=False),
    Column("value", Float, nullable=True),
    Column("text", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("measure", String(30), nullable=False, default=""),
    Column("effective_from", Date, nullable=True),
    Column("decided_by", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("load_id", ForeignKey("loads.id"), nullable=True),
    # Why a version was added from the app (the register's rows say so in their source).
    Column("reason", Text, nullable=False, default=""),
    UniqueConstraint("part_id", "year", "version", name="uq_targets_part_year_version"),
)

areas = Table(
    "areas", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
)

# Every value ever received: a correction adds a row with the next version, never overwrites.
returns = Table(
    "returns", metadata,
    Column("id", Integer, primary_key=True),
    Column("part_id", ForeignKey("indicator_parts.id"), nullable=False),
    Column("area_id", ForeignKey("areas.id"), nullable=False),
    Column("period", String(10), nullable=False),
    Column("version", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("forecast_year_end", Float, nullable=True),
    Column("provisional", Boolean, nullable=False, default=False),
    Column("commentary", Text, nullable=False, default=""),
    Column("action", Text, nullable=False, default=""),
    # Commentary and action for the partnership only: never on the public scorecard.
    Column("commentary_internal", Boolean, nullable=False, default=False),
    Column("source", Text, nullable=False, default=""),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("state", String(20), nullable=False, default="published"),
    Column("submitted_by", String(255), nullable=False, default=""),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("load_id", ForeignKey("loads.id"), nullable=True),
    # Sign-off: a submitted return is approved (published) or sent back with a reason.
    Column("reviewed_by", String(255), nullable=False, default=""),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("review_reason", Text, nullable=False, default=""),
    # Optional count and denominator behind the value (issue 14: confidence intervals).
    Column("numerator", Float, nullable=True),
    Column("denominator", Float, nullable=True),
    UniqueConstraint("part_id", "area_id", "period", "version",
                     name="uq_returns_part_area_period_version"),
)

settings = Table(
    "settings", metadata,
    Column("setting", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(255), nullable=False, unique=True),  # stored lower-case
    Column("name", String(255), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per role a user holds; for editors, one row per scope (theme board or lead partner).
user_roles = Table(
    "user_roles", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("role", String(30), nullable=False),
    Column("scope_kind", String(20), nullable=False, default=""),
    Column("scope_value", String(200), nullable=False, default=""),
    UniqueConstraint("user_id", "role", "scope_kind", "scope_value", name="uq_user_roles_grant"),
)

# Every change, who made it, when, and the value before and after. Only ever inserted into.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_key", Text, nullable=False, default=""),
    Column("before", Text, nullable=False, default=""),
    Column("after", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
)

# The quarterly cycle (migration 0006). The responsible officer of a lead partner (code "")
# or of one indicator part (lead_partner ""); a part's own contact comes first.
contacts = Table(
    "contacts", metadata,
    Column("id", Integer, primary_key=True),
    Column("framework", String(120), nullable=False),
    Column("lead_partner", String(200), nullable=False, default=""),
    Column("code", String(40), nullable=False, default=""),
    Column("part", String(80), nullable=False, default=""),
    Column("officer", String(200), nullable=False, default=""),
    Column("email", String(255), nullable=False, default=""),
    UniqueConstraint("framework", "lead_partner", "code", "part", name="uq_contacts_scope"),
)

# A due date an administrator set for one period (otherwise: N days after it ends).
return_deadlines = Table(
    "return_deadlines", metadata,
    Column("id", Integer, primary_key=True),
    Column("framework", String(120), nullable=False),
    Column("period", String(10), nullable=False),
    Column("due_date", Date, nullable=False),
    UniqueConstraint("framework", "period", name="uq_return_deadlines_framework_period"),
)

# --- benchmarks (issue 14) ------------------------------------------------------------------

# Areas a framework's own area is compared with: England, the region, GB, and named groups of
# statistical neighbours (kind neighbour_group) whose members an admin edits.
benchmark_areas = Table(
    "benchmark_areas", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
)

benchmark_group_members = Table(
    "benchmark_group_members", metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", ForeignKey("benchmark_areas.id"), nullable=False),
    Column("member", String(120), nullable=False),
    Column("source", Text, nullable=False, default=""),
    UniqueConstraint("group_id", "member", name="uq_benchmark_group_members_group_member"),
)

# Every benchmark value ever imported: a changed value is the next version, never overwritten.
benchmark_values = Table(
    "benchmark_values", metadata,
    Column("id", Integer, primary_key=True),
    Column("part_id", ForeignKey("indicator_parts.id"), nullable=False),
    Column("area_id", ForeignKey("benchmark_areas.id"), nullable=False),
    Column("period", String(10), nullable=False),
    Column("version", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("count", Float, nullable=True),
    Column("denominator", Float, nullable=True),
    Column("lower_95", Float, nullable=True),
    Column("upper_95", Float, nullable=True),
    Column("lower_998", Float, nullable=True),
    Column("upper_998", Float, nullable=True),
    Column("source", Text, nullable=False, default=""),
    Column("submitted_by", String(255), nullable=False, default=""),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("load_id", ForeignKey("loads.id"), nullable=True),
    UniqueConstraint("part_id", "area_id", "period", "version",
                     name="uq_benchmark_values_part_area_period_version"),
)

# Which Fingertips indicator an indicator part is, for reading Fingertips' data-download CSV.
fingertips_indicators = Table(
    "fingertips_indicators", metadata,
    Column("id", Integer, primary_key=True),
    Column("part_id", ForeignKey("indicator_parts.id"), nullable=False, unique=True),
    Column("fingertips_id", Integer, nullable=False),
    Column("source", Text, nullable=False, default=""),
)
