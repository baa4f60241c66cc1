"""An author's comments by time: the flood rules and the lists of a member's comments

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 00:30:00

Every comment sent asks for its author's latest comment and counts their comments of the
last hour; the admins' and moderators' pages of a member list their comments newest first.
By ``(author_id, status)`` each of these read all of the author's comments and sorted them;
by ``(author_id, created_at)`` they read what they need.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_comments_author_id_created_at", "comments", ["author_id", "created_at"])


def downgrade():
    op.drop_index("ix_comments_author_id_created_at", table_name="comments")
