"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 03:20:56.035968
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_key', sa.String(length=64), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('attempted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_account_key'), ['account_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempt_attempted_at'), ['attempted_at'], unique=False)
        batch_op.create_index('ix_login_attempt_ip_at', ['ip', 'attempted_at'], unique=False)

    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('employer', 'nonprofit', 'education', 'municipality', name='organisationkind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('kvk', sa.String(length=8), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('postcode', sa.String(length=7), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('kvk IS NULL OR length(kvk) = 8', name=op.f('ck_organisation_kvk_eight_digits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('ref', name=op.f('uq_organisation_ref'))
    )
    op.create_table('postcode_area',
    sa.Column('pc4', sa.String(length=4), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=True),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=False),
    sa.Column('longitude', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('pc4', name=op.f('pk_postcode_area'))
    )
    with op.batch_alter_table('postcode_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postcode_area_municipality'), ['municipality'], unique=False)

    op.create_table('search_index_cursor',
    sa.Column('host', sa.String(length=100), nullable=False),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_search_index_cursor'))
    )
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.Enum('newcomer', 'employer', 'consultant', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role <> 'employer' OR organisation_id IS NOT NULL", name=op.f('ck_user_account_employer_has_organisation')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_user_account_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('account_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('password_reset', 'invitation', name='tokenpurpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_account_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_token_token_hash'))
    )
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_token_user_id'), ['user_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=16), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subject_user_id'], ['user_account.id'], name=op.f('fk_audit_event_subject_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_subject_user_id'), ['subject_user_id'], unique=False)

    op.create_table('newcomer_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('postcode', sa.String(length=7), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('municipality', sa.String(length=100), nullable=True),
    sa.Column('dutch_level', sa.Enum('none', 'A1', 'A2', 'B1', 'B2', 'C1', name='dutchlevel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('dutch_reading', sa.Enum('none', 'A1', 'A2', 'B1', 'B2', 'C1', name='dutch_reading', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('dutch_listening', sa.Enum('none', 'A1', 'A2', 'B1', 'B2', 'C1', name='dutch_listening', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('dutch_speaking', sa.Enum('none', 'A1', 'A2', 'B1', 'B2', 'C1', name='dutch_speaking', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('dutch_writing', sa.Enum('none', 'A1', 'A2', 'B1', 'B2', 'C1', name='dutch_writing', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('learning_route', sa.Enum('b1', 'education', 'z', name='learningroute', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('education_level', sa.Enum('none', 'primary', 'secondary', 'vocational', 'bachelor', 'master', name='educationlevel', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('education_field', sa.String(length=200), nullable=True),
    sa.Column('diploma_recognised', sa.Boolean(), nullable=True),
    sa.Column('experience', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('education_goals', sa.JSON(), nullable=False),
    sa.Column('work_goals', sa.JSON(), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=True),
    sa.Column('hours_available', sa.Integer(), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('max_travel_km', sa.Double(), nullable=False),
    sa.Column('travel_mode', sa.Enum('walk', 'bike', 'public_transport', 'car', name='travelmode', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('physical_capacity', sa.Enum('light', 'moderate', 'heavy', name='physicaldemand', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('shares_with_employers', sa.JSON(), nullable=False),
    sa.Column('allows_matching', sa.Boolean(), nullable=False),
    sa.Column('integration_started_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('hours_available >= 0 AND hours_available <= 40', name=op.f('ck_newcomer_profile_hours')),
    sa.CheckConstraint('max_travel_km >= 0', name=op.f('ck_newcomer_profile_travel_km')),
    sa.ForeignKeyConstraint(['consultant_id'], ['user_account.id'], name=op.f('fk_newcomer_profile_consultant_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_newcomer_profile_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newcomer_profile')),
    sa.UniqueConstraint('ref', name=op.f('uq_newcomer_profile_ref')),
    sa.UniqueConstraint('user_id', name=op.f('uq_newcomer_profile_user_id'))
    )
    with op.batch_alter_table('newcomer_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newcomer_profile_consultant_id'), ['consultant_id'], unique=False)

    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('volunteer', 'work_experience', 'internship', 'learn_work', 'trial_placement', 'language_practice', name='placekind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('sector', sa.Enum('care', 'hospitality', 'retail', 'logistics', 'technical', 'construction', 'green', 'cleaning', 'food', 'administration', 'ict', 'education', 'creative', 'sports', 'community', 'other', name='sector', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('skills_wanted', sa.JSON(), nullable=False),
    sa.Column('skills_learned', sa.JSON(), nullable=False),
    sa.Column('education_offered', sa.JSON(), nullable=False),
    sa.Column('dutch_level', sa.Enum('none', 'A1', 'A2', 'B1', 'B2', 'C1', name='dutchlevel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('hours_min', sa.Integer(), nullable=False),
    sa.Column('hours_max', sa.Integer(), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('remote', sa.Boolean(), nullable=False),
    sa.Column('physical_demand', sa.Enum('light', 'moderate', 'heavy', name='physicaldemand', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('spots', sa.Integer(), nullable=False),
    sa.Column('spots_taken', sa.Integer(), nullable=False),
    sa.Column('duration_weeks', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('mentor', sa.Boolean(), nullable=False),
    sa.Column('paid_work_prospect', sa.Enum('yes', 'possible', 'no', name='paidworkprospect', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'published', 'paused', 'closed', 'rejected', name='placestatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('would_be_paid_vacancy', sa.Boolean(), nullable=True),
    sa.Column('replaces_absent_worker', sa.Boolean(), nullable=True),
    sa.Column('replaces_dismissed_worker', sa.Boolean(), nullable=True),
    sa.Column('structural_work', sa.Boolean(), nullable=True),
    sa.Column('supervisor_name', sa.String(length=120), nullable=True),
    sa.Column('learning_goals', sa.Text(), nullable=True),
    sa.Column('works_council', sa.Enum('consulted', 'not_consulted', 'none', name='workscouncil', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('duration_weeks IS NULL OR duration_weeks >= 1', name=op.f('ck_place_duration')),
    sa.CheckConstraint('hours_min >= 1 AND hours_min <= hours_max AND hours_max <= 40', name=op.f('ck_place_hours_range')),
    sa.CheckConstraint('remote OR postcode IS NOT NULL', name=op.f('ck_place_located_or_remote')),
    sa.CheckConstraint('spots >= 1', name=op.f('ck_place_spots_positive')),
    sa.CheckConstraint('spots_taken >= 0 AND spots_taken <= spots', name=op.f('ck_place_spots_taken_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_place_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_place_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('ref', name=op.f('uq_place_ref'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_status'), ['status'], unique=False)

    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('ladder_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('rung', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('context', sa.Enum('intake', 'check_in', 'follow_up', name='laddercontext', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rung BETWEEN 1 AND 6', name=op.f('ck_ladder_step_rung_range')),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_ladder_step_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_ladder_step_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ladder_step'))
    )
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ladder_step_profile_id'), ['profile_id'], unique=False)

    op.create_table('newcomer_limit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('light_work_only', 'no_night_shifts', 'reduced_hours', 'school_hours_only', 'no_long_standing', 'discuss_with_consultant', name='practicallimit', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_newcomer_limit_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newcomer_limit')),
    sa.UniqueConstraint('profile_id', 'kind', name='one_per_kind')
    )
    with op.batch_alter_table('newcomer_limit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_newcomer_limit_profile_id'), ['profile_id'], unique=False)

    op.create_table('placement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active', 'completed', 'ended_early', 'declined', 'withdrawn', name='placementstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('newcomer_message', sa.Text(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('introduction_on', sa.Date(), nullable=True),
    sa.Column('host_reason', sa.Text(), nullable=True),
    sa.Column('suits_physical_demand', sa.Boolean(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_placement_approved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_placement_place_id_place'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_placement_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_placement_proposed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement'))
    )
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_status'), ['status'], unique=False)
        batch_op.create_index('uq_placement_open_per_newcomer_place', ['profile_id', 'place_id'], unique=True, sqlite_where=sa.text("status IN ('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active')"), postgresql_where=sa.text("status IN ('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active')"))

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('learning_route', sa.Enum('b1', 'education', 'z', name='learningroute', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('integration_deadline', sa.Date(), nullable=True),
    sa.Column('preconditions', sa.Text(), nullable=True),
    sa.Column('support', sa.Text(), nullable=True),
    sa.Column('progress_followup', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('agreed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_plan_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_plan_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_plan_profile_id_newcomer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('profile_id', 'version', name='one_row_per_version')
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_profile_id'), ['profile_id'], unique=False)

    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('ladder_rung', sa.Integer(), nullable=False),
    sa.Column('attendance', sa.Enum('good', 'sometimes_absent', 'often_absent', name='attendance', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('skills_gained', sa.Text(), nullable=True),
    sa.Column('dutch_progress', sa.Text(), nullable=True),
    sa.Column('newcomer_words', sa.Text(), nullable=True),
    sa.Column('host_view', sa.Text(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=True),
    sa.Column('next_check_in_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ladder_rung BETWEEN 1 AND 6', name=op.f('ck_check_in_rung_range')),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_check_in_placement_id_placement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_check_in_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_placement_id'), ['placement_id'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('about', sa.Enum('place', 'service', name='feedbackabout', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('meaningful', sa.Integer(), nullable=True),
    sa.Column('learned', sa.Integer(), nullable=True),
    sa.Column('dutch_practice', sa.Integer(), nullable=True),
    sa.Column('respect', sa.Integer(), nullable=True),
    sa.Column('would_recommend', sa.Boolean(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("about <> 'place' OR place_id IS NOT NULL", name=op.f('ck_feedback_place_given')),
    sa.CheckConstraint('dutch_practice IS NULL OR dutch_practice BETWEEN 1 AND 5', name=op.f('ck_feedback_dutch_practice_1_5')),
    sa.CheckConstraint('learned IS NULL OR learned BETWEEN 1 AND 5', name=op.f('ck_feedback_learned_1_5')),
    sa.CheckConstraint('meaningful IS NULL OR meaningful BETWEEN 1 AND 5', name=op.f('ck_feedback_meaningful_1_5')),
    sa.CheckConstraint('respect IS NULL OR respect BETWEEN 1 AND 5', name=op.f('ck_feedback_respect_1_5')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_feedback_place_id_place'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_feedback_placement_id_placement'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['newcomer_profile.id'], name=op.f('fk_feedback_profile_id_newcomer_profile'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_profile_id'), ['profile_id'], unique=False)

    op.create_table('outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.Enum('paid_job', 'education', 'continued_participation', 'stopped', name='outcomeresult', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_outcome_placement_id_placement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_outcome_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome')),
    sa.UniqueConstraint('placement_id', name=op.f('uq_outcome_placement_id'))
    )
    op.create_table('placement_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active', 'completed', 'ended_early', 'declined', 'withdrawn', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active', 'completed', 'ended_early', 'declined', 'withdrawn', name='placementstatus', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_placement_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_placement_event_placement_id_placement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_event'))
    )
    with op.batch_alter_table('placement_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_event_placement_id'), ['placement_id'], unique=False)

    op.create_table('plan_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('map', 'pvt', 'knm', 'language', 'participation', 'education', 'other', name='activitykind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('hours_required', sa.Integer(), nullable=True),
    sa.Column('hours_done', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'done', name='activitystatus', native_enum=False, create_constraint=True), nullable=False),
    sa.CheckConstraint('hours_done >= 0 AND (hours_required IS NULL OR hours_required >= 0)', name=op.f('ck_plan_activity_hours')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_activity_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activity'))
    )
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activity_plan_id'), ['plan_id'], unique=False)

    op.create_table('follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('situation', sa.Enum('paid_job', 'education', 'continued_participation', 'stopped', name='outcomeresult', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('ladder_rung', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('ladder_rung IS NULL OR ladder_rung BETWEEN 1 AND 6', name=op.f('ck_follow_up_rung')),
    sa.CheckConstraint('months IN (3, 6, 12)', name=op.f('ck_follow_up_months_allowed')),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcome.id'], name=op.f('fk_follow_up_outcome_id_outcome'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up')),
    sa.UniqueConstraint('outcome_id', 'months', name='one_per_moment')
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_outcome_id'), ['outcome_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_outcome_id'))

    op.drop_table('follow_up')
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activity_plan_id'))

    op.drop_table('plan_activity')
    with op.batch_alter_table('placement_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_event_placement_id'))

    op.drop_table('placement_event')
    op.drop_table('outcome')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_profile_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_placement_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_place_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_placement_id'))

    op.drop_table('check_in')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_profile_id'))

    op.drop_table('plan')
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index('uq_placement_open_per_newcomer_place', sqlite_where=sa.text("status IN ('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active')"), postgresql_where=sa.text("status IN ('interested', 'proposed', 'introduced', 'accepted_by_host', 'approved', 'active')"))
        batch_op.drop_index(batch_op.f('ix_placement_status'))
        batch_op.drop_index(batch_op.f('ix_placement_profile_id'))
        batch_op.drop_index(batch_op.f('ix_placement_place_id'))

    op.drop_table('placement')
    with op.batch_alter_table('newcomer_limit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newcomer_limit_profile_id'))

    op.drop_table('newcomer_limit')
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ladder_step_profile_id'))

    op.drop_table('ladder_step')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))

    op.drop_table('user_session')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_status'))
        batch_op.drop_index(batch_op.f('ix_place_organisation_id'))

    op.drop_table('place')
    with op.batch_alter_table('newcomer_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_newcomer_profile_consultant_id'))

    op.drop_table('newcomer_profile')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_subject_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_token_user_id'))

    op.drop_table('account_token')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_organisation_id'))

    op.drop_table('user_account')
    op.drop_table('search_outbox')
    op.drop_table('search_index_cursor')
    with op.batch_alter_table('postcode_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postcode_area_municipality'))

    op.drop_table('postcode_area')
    op.drop_table('organisation')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_ip_at')
        batch_op.drop_index(batch_op.f('ix_login_attempt_attempted_at'))
        batch_op.drop_index(batch_op.f('ix_login_attempt_account_key'))

    op.drop_table('login_attempt')
