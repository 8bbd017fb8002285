"""indicator_parts: an optional plausible range of each part's own figures

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 03:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: parts a shared database already holds have no range until the
    # register gives one (a value outside it is imported with a warning, never refused).
    with op.batch_alter_table('indicator_parts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plausible_min', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('plausible_max', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('indicator_parts', schema=None) as batch_op:
        batch_op.drop_column('plausible_max')
        batch_op.drop_column('plausible_min')
