"""returns: commentary marked internal (never shown on the public scorecard)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 03:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        # server_default fills the rows a database already holds: commentary so far was
        # written for the partnership's own papers and stays off the public page only if marked
        batch_op.add_column(sa.Column('commentary_internal', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('commentary_internal')
