"""a workspace names the language its texts are written in when a request names none

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 15:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=32), server_default='en', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('language')
