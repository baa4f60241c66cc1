"""Articles count changes of how their comments look, apart from changes of the discussion

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 11:00:00

``comment_look_version`` rises when comments already shown would look different without
any of their rows' thread columns changing: a commenter renamed or erased, a comment's text
edited, the article itself changed. Pieces of a thread are kept under it and the shape of
their own comments, so a new comment costs the rendering of its own thread only.

A column added, never a table rebuilt (see 0007: SQLite would lose the search triggers).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "articles",
        sa.Column("comment_look_version", sa.Integer(), nullable=False, server_default="1"),
    )


def downgrade():
    op.drop_column("articles", "comment_look_version")
