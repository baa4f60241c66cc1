"""WordPress import: WordPress ids on rows, guest commenters, old addresses, HTML sources

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 07:00:00

Articles, pages, topics, comments and users keep the id they had in the WordPress site they
were imported from, so importing the same export again updates them. Commenters without an
account become guest users (no login; their address kept only for claiming). Articles and
pages say whether their source is Markdown or HTML imported from WordPress. The old
addresses of imported content are listed for redirects.

Only columns and indexes are added, never a table rebuilt: on SQLite a rebuilt articles or
comments table would lose the search index's triggers (migration 0005).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

WP_TABLES = ("articles", "pages", "topics", "comments", "users")


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade():
    for table in WP_TABLES:
        op.add_column(table, sa.Column("wp_id", sa.Integer(), nullable=True))
        op.create_index(f"ix_{table}_wp_id", table, ["wp_id"], unique=True)
    for table in ("articles", "pages"):
        op.add_column(
            table,
            sa.Column(
                "body_format",
                _enum("bodyformat", "markdown", "html"),
                nullable=False,
                server_default="markdown",
            ),
        )
    op.add_column(
        "users",
        sa.Column(
            "kind", _enum("userkind", "account", "guest"), nullable=False, server_default="account"
        ),
    )
    op.add_column("users", sa.Column("guest_key", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("claim_email", sa.String(length=254), nullable=True))
    op.create_index("ix_users_guest_key", "users", ["guest_key"], unique=True)
    op.create_index("ix_users_claim_email", "users", ["claim_email"])
    op.create_table(
        "legacy_paths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column(
            "target", _enum("legacytarget", "article", "page", "topic", "comment"), nullable=False
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_legacy_paths"),
        sa.UniqueConstraint("path", name="uq_legacy_paths_path"),
    )


def downgrade():
    op.drop_table("legacy_paths")
    op.drop_index("ix_users_claim_email", table_name="users")
    op.drop_index("ix_users_guest_key", table_name="users")
    for column in ("claim_email", "guest_key", "kind"):
        op.drop_column("users", column)
    for table in ("articles", "pages"):
        op.drop_column(table, "body_format")
    for table in WP_TABLES:
        op.drop_index(f"ix_{table}_wp_id", table_name=table)
        op.drop_column(table, "wp_id")
