"""newcomer path: profile changes, appointments, notices, erasure requests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:48:55.804954
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('erasure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('requested', 'carried_out', 'cancelled', name='erasurestatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['consultant_id'], ['user_account.id'], name=op.f('fk_erasure_request_consultant_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_erasure_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_erasure_request_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request'))
    )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_request_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_request_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_erasure_request_open_per_user', ['user_id'], unique=True, sqlite_where=sa.text("status = 'requested'"), postgresql_where=sa.text("status = 'requested'"))

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('deadline', 'appointment', 'plan_to_agree', 'proposal', name='noticekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notice_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('user_id', 'key', name='once_per_key')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_user_id'), ['user_id'], unique=False)

    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at_time', sa.Time(), nullable=True),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('with_whom', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_appointment_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_appointment_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_profile_id'), ['profile_id'], unique=False)

    op.create_table('profile_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=50), nullable=False),
    sa.Column('old_value', sa.JSON(), nullable=True),
    sa.Column('new_value', sa.JSON(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_profile_change_changed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_profile_change_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_change'))
    )
    with op.batch_alter_table('profile_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_change_profile_id'), ['profile_id'], unique=False)

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sa.Enum('during', 'after', name='feedbackstage', native_enum=False, create_constraint=True), nullable=True))
        batch_op.create_index('uq_feedback_after_per_placement', ['placement_id'], unique=True, sqlite_where=sa.text("stage = 'after'"), postgresql_where=sa.text("stage = 'after'"))

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('newcomer_agreed_at', sa.DateTime(), nullable=True))




def downgrade() -> None:
    
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('newcomer_agreed_at')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('uq_feedback_after_per_placement', sqlite_where=sa.text("stage = 'after'"), postgresql_where=sa.text("stage = 'after'"))
        batch_op.drop_constraint(op.f('ck_feedback_feedbackstage'), type_='check')
        batch_op.drop_column('stage')

    with op.batch_alter_table('profile_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_change_profile_id'))

    op.drop_table('profile_change')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_profile_id'))
        batch_op.drop_index(batch_op.f('ix_appointment_day'))

    op.drop_table('appointment')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_user_id'))

    op.drop_table('notice')
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_index('uq_erasure_request_open_per_user', sqlite_where=sa.text("status = 'requested'"), postgresql_where=sa.text("status = 'requested'"))
        batch_op.drop_index(batch_op.f('ix_erasure_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_erasure_request_consultant_id'))

    op.drop_table('erasure_request')

