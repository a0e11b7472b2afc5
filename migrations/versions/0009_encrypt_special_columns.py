"""encrypt the health and family constraints at rest (security.md R39)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 16:30:00

The newcomer's week, physical capacity and practical limits, and the history of profile
changes (which holds their old and new values), become Fernet tokens in TEXT columns, written
with the first key of DATA_ENCRYPTION_KEYS. The database can no longer check the closed lists
or keep one limit per kind; the app does (marketplace/newcomers/models.py). Going down
decrypts every value back into the old columns and constraints.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import context, op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

PHYSICAL = ('light', 'moderate', 'heavy')
LIMITS = (
    'light_work_only', 'no_night_shifts', 'reduced_hours', 'school_hours_only',
    'no_long_standing', 'discuss_with_consultant',
)

#: (table, column, the old type, whether the value is JSON, nullable)
COLUMNS = (
    ('newcomer_profile', 'schedule', sa.JSON(), True, False),
    ('newcomer_profile', 'physical_capacity', sa.String(8), False, False),
    ('newcomer_limit', 'kind', sa.String(23), False, False),
    ('profile_change', 'old_value', sa.JSON(), True, True),
    ('profile_change', 'new_value', sa.JSON(), True, True),
)


def _keys():
    # The app's own keys and sealing, so the tokens are exactly what the models read
    # (marketplace/migrate.py and env.py hand the keys over with the engine).
    keys = context.config.attributes.get('data_keys')
    if keys is None:
        from marketplace.encryption import current_keys

        keys = current_keys()
    return keys


def _rewrite(table: str, column: str, change) -> None:
    """Give every value of a column ``change(value)``, row by row (NULL stays NULL)."""
    conn = op.get_bind()
    t = sa.table(table, sa.column('id'), sa.column(column, sa.Text()))
    rows = conn.execute(sa.select(t.c.id, t.c[column]).where(t.c[column].is_not(None))).all()
    for ident, value in rows:
        conn.execute(sa.update(t).where(t.c.id == ident).values({column: change(value)}))


def _as_text(is_json: bool):
    """The plain text the app seals: compact sorted JSON, or the enum's value."""
    def change(value):
        if not is_json:
            return value
        parsed = json.loads(value) if isinstance(value, str) else value
        return json.dumps(parsed, ensure_ascii=False, separators=(',', ':'), sort_keys=True)
    return change


def upgrade() -> None:
    from marketplace.encryption import seal

    keys = _keys()
    postgres = op.get_bind().dialect.name == 'postgresql'
    with op.batch_alter_table('newcomer_limit') as batch_op:
        batch_op.drop_constraint('one_per_kind', type_='unique')
        batch_op.drop_constraint(op.f('ck_newcomer_limit_practicallimit'), type_='check')
    with op.batch_alter_table('newcomer_profile') as batch_op:
        batch_op.drop_constraint(op.f('ck_newcomer_profile_physicaldemand'), type_='check')
    for table, column, old_type, is_json, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                column, existing_type=old_type, type_=sa.Text(), existing_nullable=nullable,
                postgresql_using=f'{column}::text' if postgres else None,
            )
        plain = _as_text(is_json)
        _rewrite(table, column, lambda value, plain=plain: seal(keys, plain(value)))


def downgrade() -> None:
    from marketplace.encryption import unseal

    keys = _keys()
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, column, old_type, _is_json, nullable in COLUMNS:
        _rewrite(table, column, lambda value, where=f'{table}.{column}': unseal(keys, value, where))
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                column, existing_type=sa.Text(), type_=old_type, existing_nullable=nullable,
                postgresql_using=(
                    f'{column}::{"json" if isinstance(old_type, sa.JSON) else "varchar"}'
                    if postgres else None
                ),
            )
    with op.batch_alter_table('newcomer_profile') as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_newcomer_profile_physicaldemand'),
            sa.column('physical_capacity').in_(PHYSICAL),
        )
    with op.batch_alter_table('newcomer_limit') as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_newcomer_limit_practicallimit'), sa.column('kind').in_(LIMITS)
        )
        batch_op.create_unique_constraint('one_per_kind', ['profile_id', 'kind'])
