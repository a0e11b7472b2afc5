"""drafts may be incomplete; place reviews and pending changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 03:50:17.968287
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OLD_CHECKS = {
    "hours_range": "hours_min >= 1 AND hours_min <= hours_max AND hours_max <= 40",
    "spots_positive": "spots >= 1",
    "spots_taken_range": "spots_taken >= 0 AND spots_taken <= spots",
    "located_or_remote": "remote OR postcode IS NOT NULL",
}
_REQUIRED = ("description", "kind", "sector", "dutch_level", "hours_min", "hours_max",
             "physical_demand", "spots", "paid_work_prospect")
NEW_CHECKS = {
    "hours_range": "(hours_min IS NULL OR hours_min >= 1) AND (hours_max IS NULL OR hours_max <= 40)"
                   " AND (hours_min IS NULL OR hours_max IS NULL OR hours_min <= hours_max)",
    "spots_positive": "spots IS NULL OR spots >= 1",
    "spots_taken_range": "spots_taken >= 0 AND (spots IS NULL OR spots_taken <= spots)",
    "located_or_remote": "status = 'draft' OR remote OR postcode IS NOT NULL",
    "complete_unless_draft": "status = 'draft' OR ({})".format(
        " AND ".join(f"{name} IS NOT NULL" for name in _REQUIRED)),
}


def upgrade() -> None:
    op.create_table('place_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('published', 'rejected', 'changes_requested', 'change_approved', 'change_rejected', name='reviewdecision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_place_review_place_id_place'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_place_review_reviewer_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_review'))
    )
    with op.batch_alter_table('place_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_review_place_id'), ['place_id'], unique=False)

    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_changes', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('changes_submitted_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('description',
               existing_type=sa.TEXT(),
               nullable=True)
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=17),
               nullable=True)
        batch_op.alter_column('sector',
               existing_type=sa.VARCHAR(length=14),
               nullable=True)
        batch_op.alter_column('dutch_level',
               existing_type=sa.VARCHAR(length=4),
               nullable=True)
        batch_op.alter_column('hours_min',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('hours_max',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('physical_demand',
               existing_type=sa.VARCHAR(length=8),
               nullable=True)
        batch_op.alter_column('spots',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('paid_work_prospect',
               existing_type=sa.VARCHAR(length=8),
               nullable=True)
        for name in OLD_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_place_{name}"), type_="check")
        for name, condition in NEW_CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_place_{name}"), condition)


def downgrade() -> None:
    # Incomplete drafts cannot exist in the old schema; they are removed.
    op.execute(sa.text("DELETE FROM place WHERE NOT ({})".format(NEW_CHECKS["complete_unless_draft"].replace("status = 'draft' OR ", ""))))
    with op.batch_alter_table('place', schema=None) as batch_op:
        for name in NEW_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_place_{name}"), type_="check")
        for name, condition in OLD_CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_place_{name}"), condition)
        batch_op.alter_column('paid_work_prospect',
               existing_type=sa.VARCHAR(length=8),
               nullable=False)
        batch_op.alter_column('spots',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('physical_demand',
               existing_type=sa.VARCHAR(length=8),
               nullable=False)
        batch_op.alter_column('hours_max',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('hours_min',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('dutch_level',
               existing_type=sa.VARCHAR(length=4),
               nullable=False)
        batch_op.alter_column('sector',
               existing_type=sa.VARCHAR(length=14),
               nullable=False)
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=17),
               nullable=False)
        batch_op.alter_column('description',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.drop_column('changes_submitted_at')
        batch_op.drop_column('pending_changes')

    with op.batch_alter_table('place_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_review_place_id'))

    op.drop_table('place_review')
