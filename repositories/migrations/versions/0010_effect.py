"""measuring effect: readiness per round, indicator measurements, pulse surveys

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _entity_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('workspace_id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    ]


def _entity_constraints(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f(f'fk_{table}_workspace_id_workspaces'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f(f'fk_{table}_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _entity_indexes(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{table}_workspace_id'), ['workspace_id'], unique=False)


def upgrade() -> None:
    # Readiness per round: every rating kept stays the baseline's (round 1).
    with op.batch_alter_table('readiness_ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round', sa.SmallInteger(), server_default='1', nullable=False))
        batch_op.drop_constraint('uq_readiness_ratings_project_id_participant_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_readiness_ratings_project_id_participant_id_round'),
            ['project_id', 'participant_id', 'round'],
        )
    op.create_table('readiness_rounds',
    *_entity_columns(),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('number >= 2', name=op.f('ck_readiness_rounds_after_the_baseline')),
    *_entity_constraints('readiness_rounds'),
    sa.UniqueConstraint('project_id', 'number', name=op.f('uq_readiness_rounds_project_id_number'))
    )
    _entity_indexes('readiness_rounds')

    op.create_table('indicator_measurements',
    *_entity_columns(),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('service_id', sa.Uuid(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_indicator_measurements_service_id_services'), ondelete='CASCADE'),
    *_entity_constraints('indicator_measurements'),
    )
    _entity_indexes('indicator_measurements')
    with op.batch_alter_table('indicator_measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_measurements_service_id'), ['service_id'], unique=False)


    op.create_table('pulse_surveys',
    *_entity_columns(),
    sa.Column('project_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('round', sa.SmallInteger(), nullable=False),
    *_entity_constraints('pulse_surveys'),
    )
    _entity_indexes('pulse_surveys')
    op.create_table('pulse_counts',
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('survey_id', sa.Uuid(), nullable=False),
    sa.Column('round', sa.SmallInteger(), nullable=False),
    sa.Column('question_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['pulse_surveys.id'], name=op.f('fk_pulse_counts_survey_id_pulse_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_pulse_counts_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'round', 'question_id', 'value', name=op.f('pk_pulse_counts')),
    sqlite_with_rowid=False,
    )
    op.create_table('pulse_texts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('survey_id', sa.Uuid(), nullable=False),
    sa.Column('round', sa.SmallInteger(), nullable=False),
    sa.Column('question_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['pulse_surveys.id'], name=op.f('fk_pulse_texts_survey_id_pulse_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_pulse_texts_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_texts')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('pulse_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_texts_survey_id'), ['survey_id'], unique=False)
    op.create_table('pulse_respondents',
    sa.Column('workspace_id', sa.Uuid(), nullable=False),
    sa.Column('survey_id', sa.Uuid(), nullable=False),
    sa.Column('round', sa.SmallInteger(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_pulse_respondents_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['pulse_surveys.id'], name=op.f('fk_pulse_respondents_survey_id_pulse_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_pulse_respondents_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'round', 'participant_id', name=op.f('pk_pulse_respondents')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('pulse_respondents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_respondents_participant_id'), ['participant_id'], unique=False)


def downgrade() -> None:
    op.drop_table('pulse_respondents')
    op.drop_table('pulse_texts')
    op.drop_table('pulse_counts')
    op.drop_table('pulse_surveys')
    op.drop_table('indicator_measurements')
    op.drop_table('readiness_rounds')
    op.execute('DELETE FROM readiness_ratings WHERE round <> 1')
    with op.batch_alter_table('readiness_ratings', schema=None) as batch_op:
        batch_op.drop_constraint('uq_readiness_ratings_project_id_participant_id_round', type_='unique')
        batch_op.create_unique_constraint(
            'uq_readiness_ratings_project_id_participant_id', ['project_id', 'participant_id']
        )
        batch_op.drop_column('round')
