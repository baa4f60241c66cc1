"""What an import remembers while it runs: WordPress ids and names mapped to rows here.

Only integers and short strings, a few per row, so memory grows with the number of rows,
not with the size of their texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from app.services.wordpress.report import ImportReport


@dataclass
class ImportState:
    zone: tzinfo
    now: datetime
    report: ImportReport
    base: str = ""
    authors: dict[str, int] = field(default_factory=dict)  # login -> user id
    author_names: dict[str, str] = field(default_factory=dict)  # login -> display name
    author_ids: dict[int, int] = field(default_factory=dict)  # WordPress user id -> user id
    topics: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, slug) -> id
    topic_ids: set[int] = field(default_factory=set)  # the topics met so far
    term_parents: dict[tuple[str, str], str] = field(default_factory=dict)
    articles: dict[int, int] = field(default_factory=dict)  # WordPress post id -> id
    pages: set[int] = field(default_factory=set)
    comments: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # -> id, article, depth
    orphans: list[tuple[int, int]] = field(default_factory=list)  # comment id, parent WP id
    guests: dict[str, int] = field(default_factory=dict)
    pending: int = 0
