"""What a parser recovers from one file, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from app.services.slugs import MAX_SLUG_LENGTH

MAX_TITLE = 200
MAX_AUTHOR = 100
MAX_TOPIC = 80


class SourceError(ValueError):
    """The file cannot be imported; the message says why, for the person running the import."""


@dataclass
class ArticleSource:
    """One article as a file describes it. ``day`` is None when the file names no date."""

    title: str
    author: str
    body: str
    topics: list[str] = field(default_factory=list)
    day: date | None = None
    time: time | None = None
    slug: str | None = None
    summary: str | None = None

    def check(self) -> ArticleSource:
        """Refuse values the database could not hold, with a message naming the field."""
        self.title = " ".join(self.title.split())
        self.author = " ".join(self.author.split())
        self.topics = [" ".join(topic.split()) for topic in self.topics if topic.strip()]
        if not self.title:
            raise SourceError("no title found")
        if len(self.title) > MAX_TITLE:
            raise SourceError(f"the title is longer than {MAX_TITLE} characters")
        if not self.author:
            raise SourceError("no author found")
        if len(self.author) > MAX_AUTHOR:
            raise SourceError(f"the author's name is longer than {MAX_AUTHOR} characters")
        for topic in self.topics:
            if len(topic) > MAX_TOPIC:
                raise SourceError(
                    f"the topic {topic[:40]!r}… is longer than {MAX_TOPIC} characters"
                )
        if self.slug is not None and len(self.slug) > MAX_SLUG_LENGTH:
            raise SourceError(f"the slug is longer than {MAX_SLUG_LENGTH} characters")
        if not self.body.strip():
            raise SourceError("the article has no text")
        return self
