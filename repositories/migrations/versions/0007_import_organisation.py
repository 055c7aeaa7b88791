"""import reports name the organisation whose data they touched

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 18:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_imports_organisation_id_organisations'),
            'organisations', ['organisation_id'], ['id'], ondelete='CASCADE',
        )
    # Reports kept before: people went into the organisation they name; every other kind
    # (and documents, workbooks) into a project of one.
    op.execute(
        "UPDATE imports SET organisation_id = target_id "
        "WHERE target_id IN (SELECT id FROM organisations)"
    )
    op.execute(
        "UPDATE imports SET organisation_id = "
        "(SELECT organisation_id FROM projects WHERE projects.id = imports.target_id) "
        "WHERE organisation_id IS NULL AND target_id IN (SELECT id FROM projects)"
    )


def downgrade() -> None:
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_imports_organisation_id_organisations'), type_='foreignkey'
        )
        batch_op.drop_column('organisation_id')
