"""the quarterly cycle: contacts (responsible officers) and per-period return deadlines

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 03:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('framework', sa.String(length=120), nullable=False),
        sa.Column('lead_partner', sa.String(length=200), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('part', sa.String(length=80), nullable=False),
        sa.Column('officer', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
        sa.UniqueConstraint('framework', 'lead_partner', 'code', 'part', name='uq_contacts_scope'),
    )
    op.create_table(
        'return_deadlines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('framework', sa.String(length=120), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_deadlines')),
        sa.UniqueConstraint('framework', 'period', name='uq_return_deadlines_framework_period'),
    )


def downgrade() -> None:
    op.drop_table('return_deadlines')
    op.drop_table('contacts')
