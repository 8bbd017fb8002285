"""benchmarks: benchmark areas and groups, benchmark values, Fingertips register, counts on returns

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 03:15:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The default benchmark areas. Luton's CIPFA nearest neighbours could not be traced to a public
# list, so the group starts empty (docs/benchmarks.md); an admin adds its members.
DEFAULT_AREAS = [
    {"name": "England", "kind": "country",
     "source": "NI 152 target is a gap to England (001_7c62a6d3c6b93d0e.txt line 248)", "notes": ""},
    {"name": "East of England", "kind": "region",
     "source": "GP satisfaction 'the lowest in the East of England' (001_7c62a6d3c6b93d0e.txt line 519)",
     "notes": ""},
    {"name": "Great Britain", "kind": "country",
     "source": "NI 151 target is a gap to GB (001_7c62a6d3c6b93d0e.txt line 247)", "notes": ""},
    {"name": "Statistical neighbours", "kind": "neighbour_group", "source": "",
     "notes": "No public list of Luton's CIPFA nearest neighbours could be traced; "
              "an admin adds the members with their source."},
]


def upgrade() -> None:
    areas = op.create_table('benchmark_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_areas')),
    sa.UniqueConstraint('name', name=op.f('uq_benchmark_areas_name'))
    )
    op.create_table('benchmark_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('member', sa.String(length=120), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['benchmark_areas.id'],
                            name=op.f('fk_benchmark_group_members_group_id_benchmark_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_group_members')),
    sa.UniqueConstraint('group_id', 'member', name='uq_benchmark_group_members_group_member')
    )
    op.create_table('benchmark_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('count', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('lower_95', sa.Float(), nullable=True),
    sa.Column('upper_95', sa.Float(), nullable=True),
    sa.Column('lower_998', sa.Float(), nullable=True),
    sa.Column('upper_998', sa.Float(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('submitted_by', sa.String(length=255), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('load_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['benchmark_areas.id'],
                            name=op.f('fk_benchmark_values_area_id_benchmark_areas')),
    sa.ForeignKeyConstraint(['load_id'], ['loads.id'], name=op.f('fk_benchmark_values_load_id_loads')),
    sa.ForeignKeyConstraint(['part_id'], ['indicator_parts.id'],
                            name=op.f('fk_benchmark_values_part_id_indicator_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_values')),
    sa.UniqueConstraint('part_id', 'area_id', 'period', 'version',
                        name='uq_benchmark_values_part_area_period_version')
    )
    op.create_table('fingertips_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('fingertips_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['indicator_parts.id'],
                            name=op.f('fk_fingertips_indicators_part_id_indicator_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fingertips_indicators')),
    sa.UniqueConstraint('part_id', name=op.f('uq_fingertips_indicators_part_id'))
    )
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('numerator', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('denominator', sa.Float(), nullable=True))
    op.bulk_insert(areas, DEFAULT_AREAS)


def downgrade() -> None:
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_column('denominator')
        batch_op.drop_column('numerator')
    op.drop_table('fingertips_indicators')
    op.drop_table('benchmark_values')
    op.drop_table('benchmark_group_members')
    op.drop_table('benchmark_areas')
