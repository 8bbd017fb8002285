"""targets: the reason a version was added

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('targets', schema=None) as batch_op:
        # server_default fills the rows a shared database already holds (the register's own,
        # whose source names the council paper instead)
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_column('reason')
