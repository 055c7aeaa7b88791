"""follow-up: agreements coached from outside the team or by a training; general
action reports (about no one commitment); commitments become actions (status with
who and when, from a finding or grievance, no meeting needed); meetings with start time,
duration, place, agenda, notes and decisions; MT feedback names its presentation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ONE_KIND_OF_COACHING = (
    "(CASE WHEN coach_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN external_coach_name IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN training_title IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_coach_name', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('external_coach_organisation', sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column('training_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('training_provider', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('training_starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('training_ends_on', sa.Date(), nullable=True))
        batch_op.alter_column('coach_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.create_check_constraint(
            op.f('ck_agreements_one_kind_of_coaching'), ONE_KIND_OF_COACHING
        )
    with op.batch_alter_table('action_reports', schema=None) as batch_op:
        batch_op.alter_column('commitment_id', existing_type=sa.Uuid(), nullable=True)
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.alter_column('meeting_id', existing_type=sa.Uuid(), nullable=True)
        # Commitments made before were open: what became of them was not kept.
        batch_op.add_column(
            sa.Column('status', sa.String(length=32), nullable=False, server_default='open')
        )
        batch_op.add_column(sa.Column('status_by_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('finding_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('grievance_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_commitments_status_by_id_participants'),
            'participants', ['status_by_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            op.f('fk_commitments_finding_id_findings'),
            'findings', ['finding_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            op.f('fk_commitments_grievance_id_grievances'),
            'grievances', ['grievance_id'], ['id'], ondelete='SET NULL',
        )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=32), server_default=None)
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), nullable=True))
        for name, kind in (
            ('place', sa.String(length=200)),
            ('agenda', sa.JSON()),
            ('notes', sa.Text()),
            ('decisions', sa.JSON()),
        ):
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    # Meetings kept before had none of these: empty, then required as the code writes them.
    op.execute("UPDATE meetings SET place = '', agenda = '[]', notes = '', decisions = '[]'")
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.alter_column('place', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('agenda', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('notes', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('decisions', existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table('management_feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_management_feedback_meeting_id_meetings'),
            'meetings', ['meeting_id'], ['id'], ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('management_feedback', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('fk_management_feedback_meeting_id_meetings'), type_='foreignkey'
        )
        batch_op.drop_column('meeting_id')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        for column in ('decisions', 'notes', 'agenda', 'place', 'duration_minutes', 'start_time'):
            batch_op.drop_column(column)
    op.execute("DELETE FROM commitments WHERE meeting_id IS NULL")
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        for name in (
            'fk_commitments_grievance_id_grievances',
            'fk_commitments_finding_id_findings',
            'fk_commitments_status_by_id_participants',
        ):
            batch_op.drop_constraint(op.f(name), type_='foreignkey')
        for column in ('grievance_id', 'finding_id', 'status_at', 'status_by_id', 'status'):
            batch_op.drop_column(column)
        batch_op.alter_column('meeting_id', existing_type=sa.Uuid(), nullable=False)
    op.execute("DELETE FROM action_reports WHERE commitment_id IS NULL")
    with op.batch_alter_table('action_reports', schema=None) as batch_op:
        batch_op.alter_column('commitment_id', existing_type=sa.Uuid(), nullable=False)
    # Agreements without a senior coach cannot go back to a table that requires one.
    op.execute("DELETE FROM agreements WHERE coach_id IS NULL")
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agreements_one_kind_of_coaching'), type_='check')
        batch_op.alter_column('coach_id', existing_type=sa.Uuid(), nullable=False)
        for column in (
            'training_ends_on',
            'training_starts_on',
            'training_provider',
            'training_title',
            'external_coach_organisation',
            'external_coach_name',
        ):
            batch_op.drop_column(column)
