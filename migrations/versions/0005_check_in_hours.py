"""check-ins: rung reason, hours worked, MAP hours

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:23:26.897476
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rung_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('hours_worked', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('counts_for_map', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(op.f('ck_check_in_hours_worked_range'), 'hours_worked BETWEEN 0 AND 500')



def downgrade() -> None:
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_check_in_hours_worked_range'), type_='check')
        batch_op.drop_column('counts_for_map')
        batch_op.drop_column('hours_worked')
        batch_op.drop_column('rung_reason')

