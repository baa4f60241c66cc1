"""versions of what many pages show, for the page cache's keys

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 07:00:00.000000

One row per scope ("site", "comments"), raised by app/caching/bumps.py in the transaction
that changes what the scope covers.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from app.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'cache_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changed_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_versions')),
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(table, [
        {'name': 'site', 'version': 1, 'changed_at': now},
        {'name': 'comments', 'version': 1, 'changed_at': now},
    ])


def downgrade():
    op.drop_table('cache_versions')
