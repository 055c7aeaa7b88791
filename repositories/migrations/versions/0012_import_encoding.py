"""import reports say how a CSV or NDJSON file was read: encoding and delimiter

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 15:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('encoding', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('delimiter', sa.String(length=1), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.drop_column('delimiter')
        batch_op.drop_column('encoding')
