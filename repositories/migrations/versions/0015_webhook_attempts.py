"""a delivery's history is one row per attempt (webhook_attempts), not its last try's
status, latency and error on the delivery

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

LAST_TRY = ('last_status_code', 'last_latency_ms', 'last_error')


def upgrade() -> None:
    op.create_table('webhook_attempts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('webhook_id', sa.Uuid(), nullable=False),
    sa.Column('delivery_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('latency_ms', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_deliveries.id'], name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_attempts_webhook_id_webhooks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_webhook_attempts_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempts'))
    )
    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_attempts_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index('ix_webhook_attempts_webhook_attempted', ['webhook_id', 'attempted_at'], unique=False)

    # The last try of each delivery tried so far is all that was kept of its history:
    # it becomes that delivery's attempt of its number (the earlier ones are not known).
    bind = op.get_bind()
    when, uuid = sa.DateTime(timezone=True), sa.Uuid()
    deliveries = sa.table(
        'webhook_deliveries',
        sa.column('id', uuid), sa.column('workspace_id', uuid), sa.column('webhook_id', uuid),
        sa.column('status', sa.String()), sa.column('attempts', sa.Integer()),
        sa.column('next_attempt_at', when), sa.column('last_attempt_at', when),
        sa.column('last_status_code', sa.Integer()), sa.column('last_latency_ms', sa.Integer()),
        sa.column('last_error', sa.String()),
    )
    attempts = sa.table(
        'webhook_attempts',
        sa.column('id', uuid), sa.column('workspace_id', uuid), sa.column('webhook_id', uuid),
        sa.column('delivery_id', uuid), sa.column('number', sa.Integer()),
        sa.column('attempted_at', when), sa.column('status', sa.String()),
        sa.column('status_code', sa.Integer()), sa.column('latency_ms', sa.Integer()),
        sa.column('error', sa.String()), sa.column('next_attempt_at', when),
    )
    d = deliveries.c
    tried = bind.execute(
        sa.select(d.id, d.workspace_id, d.webhook_id, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, *(d[n] for n in LAST_TRY))
        .where(d.attempts > 0, d.last_attempt_at.is_not(None))
    ).all()
    if tried:
        from uuid import uuid4

        bind.execute(
            sa.insert(attempts),
            [
                {
                    'id': uuid4(),
                    'workspace_id': row.workspace_id,
                    'webhook_id': row.webhook_id,
                    'delivery_id': row.id,
                    'number': row.attempts,
                    'attempted_at': row.last_attempt_at,
                    'status': 'succeeded' if row.status == 'succeeded' else 'failed',
                    'status_code': row.last_status_code,
                    'latency_ms': row.last_latency_ms,
                    'error': row.last_error,
                    'next_attempt_at': row.next_attempt_at if row.status == 'pending' else None,
                }
                for row in tried
            ],
        )

    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        for name in LAST_TRY:
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_status_code', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_latency_ms', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))

    # Each delivery keeps its latest try, as it did before the history.
    latest = sa.text(
        "UPDATE webhook_deliveries SET "
        + ", ".join(
            f"{column} = (SELECT a.{source} FROM webhook_attempts a"
            " WHERE a.delivery_id = webhook_deliveries.id ORDER BY a.number DESC LIMIT 1)"
            for column, source in zip(LAST_TRY, ('status_code', 'latency_ms', 'error'))
        )
    )
    op.get_bind().execute(latest)

    with op.batch_alter_table('webhook_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_attempts_webhook_attempted')
        batch_op.drop_index(batch_op.f('ix_webhook_attempts_delivery_id'))

    op.drop_table('webhook_attempts')
