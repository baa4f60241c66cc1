"""full-text search index for articles and comments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00.000000

SQLite: FTS5 tables search_articles and search_comments; PostgreSQL: a search_vector
column with a GIN index on articles and comments. And ix_articles_listed, the articles not
deleted by id, which the search's joins to the public article read instead of the rows. Both are kept by triggers and filled here
from the existing rows. The statements live in app/search/schema.py, which also repairs the
index (`flask search rebuild`).
"""
from alembic import op
import sqlalchemy as sa

from app.search import schema


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_articles_listed', 'articles', ['id', 'published_at'], unique=False,
        postgresql_where=sa.text('deleted_at IS NULL'), sqlite_where=sa.text('deleted_at IS NULL'),
    )
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        schema.require_fts5(op.get_bind())
    for statement in schema.create_statements(dialect):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in schema.drop_statements(dialect):
        op.execute(statement)
    op.drop_index('ix_articles_listed', table_name='articles')
