"""reasons as codes with parameters; undoing decisions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00

Reasons were stored as English text ("links: 3 > 2", "hold list: krypto", "3 flags
(threshold 3)", "... [until 2026-12-05 11:00 UTC]"). They become a code with parameters, so
each reader gets them in their own words; text a moderator typed becomes a note. The parser
is written out here rather than imported, so this migration keeps doing what it did when
the application changes.
"""
import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.models.base

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REASON_CODE = sa.Enum(
    "held", "flag_threshold", "moderator_note", "ban", "undo",
    name="reasoncode", native_enum=False, length=20,
)  # fmt: skip

_LINKS = re.compile(r"links: (\d+) > (\d+)")
_WORDS = re.compile(r"hold list: (.+)")
_RULES = {
    "policy: all comments are reviewed": "all",
    "policy: first comment of this member": "first",
}
_FLAGS = re.compile(r"(\d+) flags \(threshold (\d+)\)")
_UNTIL = re.compile(r"(.*?) ?\[until (\d{4}-\d\d-\d\d \d\d:\d\d) UTC\]")


def parse(text):
    """(code, params) of an old reason text, or (None, None) for none."""
    text = (text or "").strip()
    if not text:
        return None, None
    if match := _FLAGS.fullmatch(text):
        return "flag_threshold", {"count": int(match[1]), "threshold": int(match[2])}
    if match := _UNTIL.fullmatch(text):
        until = datetime.strptime(match[2], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        return "ban", {"text": match[1].strip(), "until": until.isoformat()}
    held = {}
    for part in text.split("; "):
        if match := _LINKS.fullmatch(part):
            held.update(links=int(match[1]), link_limit=int(match[2]))
        elif match := _WORDS.fullmatch(part):
            held["words"] = [word.strip() for word in match[1].split(",") if word.strip()]
        elif part in _RULES:
            held["rule"] = _RULES[part]
        else:
            return "moderator_note", {"text": text}
    return "held", held


def unparse(code, params):
    """The old English text of a (code, params), for going back down."""
    params = params or {}
    if code == "held":
        parts = []
        if "links" in params:
            parts.append(f"links: {params['links']} > {params.get('link_limit', 0)}")
        if params.get("words"):
            parts.append("hold list: " + ", ".join(params["words"]))
        rule = {value: key for key, value in _RULES.items()}.get(params.get("rule"))
        if rule:
            parts.append(rule)
        return "; ".join(parts) or None
    if code == "flag_threshold":
        return f"{params.get('count', 0)} flags (threshold {params.get('threshold', 0)})"
    if code == "ban" and params.get("until"):
        until = datetime.fromisoformat(params["until"]).astimezone(UTC)
        return f"{params.get('text', '')} [until {until:%Y-%m-%d %H:%M} UTC]".strip()
    return params.get("text") or None


def _convert(table, text_column, code_column, params_column, forward):
    connection = op.get_bind()
    rows = sa.table(
        table,
        sa.column("id", sa.Integer()),
        sa.column(text_column, sa.Text()),
        sa.column(code_column, sa.String(20)),
        sa.column(params_column, sa.JSON(none_as_null=True)),
    )
    source = rows.c[text_column] if forward else rows.c[code_column]
    query = sa.select(rows.c.id, rows.c[text_column], rows.c[code_column], rows.c[params_column])
    for row in connection.execute(query.where(source.is_not(None))).all():
        if forward:
            code, params = parse(row[1])
            values = {code_column: code, params_column: params}
        else:
            values = {text_column: (unparse(row[2], row[3]) or "")[:500] or None}
        connection.execute(rows.update().where(rows.c.id == row[0]).values(**values))


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_reason_code", REASON_CODE, nullable=True))
        batch_op.add_column(sa.Column("status_reason_params", sa.JSON(), nullable=True))
    with op.batch_alter_table("moderation_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", REASON_CODE, nullable=True))
        batch_op.add_column(sa.Column("reason_params", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("previous", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("undone_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
        )
    _convert("comments", "status_reason", "status_reason_code", "status_reason_params", True)
    _convert("moderation_events", "reason", "reason_code", "reason_params", True)
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("status_reason")
    with op.batch_alter_table("moderation_events", schema=None) as batch_op:
        batch_op.drop_column("reason")


def downgrade():
    with op.batch_alter_table("moderation_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_reason", sa.String(length=500), nullable=True))
    _convert("comments", "status_reason", "status_reason_code", "status_reason_params", False)
    _convert("moderation_events", "reason", "reason_code", "reason_params", False)
    with op.batch_alter_table("moderation_events", schema=None) as batch_op:
        batch_op.drop_column("undone_at")
        batch_op.drop_column("previous")
        batch_op.drop_column("reason_params")
        batch_op.drop_column("reason_code")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("status_reason_params")
        batch_op.drop_column("status_reason_code")
