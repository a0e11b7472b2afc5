"""intake, follow-up answers, consultant notices, outcome at the host

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:19:53.106152
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


OLD_RESULTS = "'paid_job', 'education', 'continued_participation', 'stopped'"
NEW_RESULTS = "'paid_job_host', " + OLD_RESULTS
OLD_KINDS = "'deadline', 'appointment', 'plan_to_agree', 'proposal'"
NEW_KINDS = OLD_KINDS + ", 'check_in_due', 'follow_up_due', 'overdue_overview'"


def upgrade() -> None:
    op.create_table('intake',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('what_matters', sa.Text(), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=True),
    sa.Column('capabilities', sa.Text(), nullable=True),
    sa.Column('learning_wishes', sa.Text(), nullable=True),
    sa.Column('agreements', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_intake_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_intake_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake')),
    sa.UniqueConstraint('profile_id', name=op.f('uq_intake_profile_id'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_paid_work', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('hours_per_week', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contract', sa.Enum('permanent', 'temporary', 'on_call', 'self_employed', name='contractkind', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('in_education', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_follow_up_recorded_by_id_user_account'), 'user_account', ['recorded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(op.f('ck_follow_up_hours_per_week'), 'hours_per_week IS NULL OR hours_per_week BETWEEN 0 AND 80')
    # the one answer a follow-up had becomes the new questions' answers, so nothing is lost
    op.execute(
        "UPDATE follow_up SET in_paid_work = (situation = 'paid_job'), "
        "in_education = (situation = 'education') WHERE situation IS NOT NULL"
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_follow_up_outcomeresult'), type_='check')
        batch_op.drop_column('situation')

    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outcome_outcomeresult'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outcome_outcomeresult'), f'result IN ({NEW_RESULTS})')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notice_noticekind'), type_='check')
        batch_op.alter_column('kind', existing_type=sa.VARCHAR(length=13), type_=sa.VARCHAR(length=16), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_notice_noticekind'), f'kind IN ({NEW_KINDS})')


def downgrade() -> None:
    op.execute(f"DELETE FROM notice WHERE kind NOT IN ({OLD_KINDS})")
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notice_noticekind'), type_='check')
        batch_op.alter_column('kind', existing_type=sa.VARCHAR(length=16), type_=sa.VARCHAR(length=13), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_notice_noticekind'), f'kind IN ({OLD_KINDS})')

    op.execute("UPDATE outcome SET result = 'paid_job' WHERE result = 'paid_job_host'")
    with op.batch_alter_table('outcome', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outcome_outcomeresult'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outcome_outcomeresult'), f'result IN ({OLD_RESULTS})')

    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.add_column(sa.Column('situation', sa.Enum('paid_job', 'education', 'continued_participation', 'stopped', name='outcomeresult', native_enum=False, create_constraint=True), nullable=True))
    op.execute(
        "UPDATE follow_up SET situation = CASE WHEN in_paid_work THEN 'paid_job' "
        "WHEN in_education THEN 'education' END WHERE recorded_at IS NOT NULL"
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_follow_up_hours_per_week'), type_='check')
        batch_op.drop_constraint(op.f('ck_follow_up_contractkind'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_follow_up_recorded_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('in_education')
        batch_op.drop_column('contract')
        batch_op.drop_column('hours_per_week')
        batch_op.drop_column('in_paid_work')

    op.drop_table('intake')
