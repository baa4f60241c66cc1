"""WordPress import: WordPress ids on rows, guest commenters, old addresses

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-29 07:00:00

Articles and pages say whether their source is Markdown or imported HTML.
Articles, pages, topics, comments and users keep the id they had in the WordPress site they
were imported from, so importing the same export again updates them. Commenters without an
account become guest users (no login; their address kept only for claiming). The old
addresses of imported content are listed for redirects.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

WP_TABLES = ("articles", "pages", "topics", "comments")


def upgrade():
    for table in WP_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("wp_id", sa.Integer(), nullable=True))
            batch.create_unique_constraint(f"uq_{table}_wp_id", ["wp_id"])
    for table in ("articles", "pages"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "body_format",
                    sa.Enum("markdown", "html", name="bodyformat", native_enum=False, length=20),
                    nullable=False,
                    server_default="markdown",
                )
            )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "kind",
                sa.Enum("account", "guest", name="userkind", native_enum=False, length=20),
                nullable=False,
                server_default="account",
            )
        )
        batch.add_column(sa.Column("wp_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("guest_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claim_email", sa.String(length=254), nullable=True))
        batch.create_unique_constraint("uq_users_wp_id", ["wp_id"])
        batch.create_unique_constraint("uq_users_guest_key", ["guest_key"])
        batch.create_index("ix_users_claim_email", ["claim_email"])
    op.create_table(
        "legacy_paths",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column(
            "target",
            sa.Enum(
                "article", "page", "topic", "comment",
                name="legacytarget", native_enum=False, length=20,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_legacy_paths"),
        sa.UniqueConstraint("path", name="uq_legacy_paths_path"),
    )


def downgrade():
    op.drop_table("legacy_paths")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_claim_email")
        batch.drop_constraint("uq_users_guest_key", type_="unique")
        batch.drop_constraint("uq_users_wp_id", type_="unique")
        batch.drop_column("claim_email")
        batch.drop_column("guest_key")
        batch.drop_column("wp_id")
        batch.drop_column("kind")
    for table in ("articles", "pages"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("body_format")
    for table in WP_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_wp_id", type_="unique")
            batch.drop_column("wp_id")
