"""comment submission keys: one comment per author and sent form

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 03:11:34.802090

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Adding a nullable column and an index needs no copy of the table, on SQLite either.
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index(
            'ix_comments_author_id_submission_key', ['author_id', 'submission_key'], unique=True
        )


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_id_submission_key')
        batch_op.drop_column('submission_key')
