"""users who sign in through an OpenID provider; the audit trail says whose id it names

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:30:00
"""

from alembic import op
import sqlalchemy as sa



revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'users',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('workspace_id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=True),
        sa.Column('issuer', sa.String(length=500), nullable=True),
        sa.Column('subject', sa.String(length=255), nullable=True),
        sa.Column('signed_in_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['workspace_id'], ['workspaces.id'],
            name=op.f('fk_users_workspace_id_workspaces'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'],
            name=op.f('fk_users_person_id_people'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
        sa.UniqueConstraint('workspace_id', 'email', name=op.f('uq_users_workspace_id_email')),
        sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_users_issuer_subject')),
    )
    op.create_index(op.f('ix_users_workspace_id'), 'users', ['workspace_id'], unique=False)
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('actor_kind', sa.String(length=32), nullable=False, server_default='api_key')
        )
    # An Idempotency-Key claim belongs to an API key or to a user now.
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_constraint(
            'fk_idempotency_records_api_key_id_api_keys', type_='foreignkey'
        )


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_records WHERE api_key_id NOT IN (SELECT id FROM api_keys)")
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_idempotency_records_api_key_id_api_keys',
            'api_keys', ['api_key_id'], ['id'], ondelete='CASCADE',
        )
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.drop_column('actor_kind')
    op.drop_index(op.f('ix_users_workspace_id'), table_name='users')
    op.drop_table('users')
