"""Importing articles from files: Markdown with a front-matter header, or old blog pages.

Each file is parsed completely before the database is touched, then saved in its own
transaction, so one bad file costs only itself. Articles are matched by slug: importing a
file again updates its article instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from os import PathLike
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.models import Article
from app.services.errors import DomainError
from app.services.importer.dates import local_day, local_to_utc
from app.services.importer.front_matter import has_front_matter, parse_markdown_article
from app.services.importer.plaintext import parse_page
from app.services.importer.source import ArticleSource, SourceError
from app.services.publishing import ArticleInput, create_article, slug_owner, update_article
from app.services.slugs import slugify

__all__ = [
    "ArticleSource",
    "FileResult",
    "ImportReport",
    "SourceError",
    "import_files",
    "site_zone",
]

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
MAX_FILE_BYTES = 5_000_000


@dataclass
class FileResult:
    path: str
    action: str  # "created", "updated" or "failed"
    message: str = ""
    slug: str | None = None
    published_at: datetime | None = None
    warning: str | None = None  # what the importer had to guess, and how to say it instead

    def line(self) -> str:
        if self.action == "failed":
            return f"failed: {self.path}: {self.message}"
        return f"{self.action}: {self.path} -> /articles/{self.slug} ({self.message})"


ACTIONS = ("created", "updated", "failed")


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failures(self) -> list[FileResult]:
        return [result for result in self.results if result.action == "failed"]

    @property
    def imported(self) -> list[FileResult]:
        return [result for result in self.results if result.action != "failed"]

    @property
    def warnings(self) -> list[str]:
        return [f"warning: {r.path}: {r.warning}" for r in self.results if r.warning]

    def lines(self) -> list[str]:
        """A line per file, then the summary."""
        return [result.line() for result in self.results] + self.summary()

    def summary(self) -> list[str]:
        """How many files had each outcome, and which."""
        created = sum(result.action == "created" for result in self.results)
        lines = [
            f"{len(self.imported)} imported ({created} created, "
            f"{len(self.imported) - created} updated), {len(self.failures)} failed."
        ]
        for action in ACTIONS:
            paths = [result.path for result in self.results if result.action == action]
            if paths:
                lines.append(f"  {action} ({len(paths)}): " + ", ".join(paths))
        return lines


def decode(raw: bytes) -> str:
    """The text of a file: UTF-8, else Windows-1252 as old pages were often saved."""
    if b"\x00" in raw:
        raise SourceError("not a text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceError("neither UTF-8 nor Windows-1252 text") from None


def read_source(path: Path) -> ArticleSource:
    """Parse one file; SourceError says what is wrong with it."""
    try:
        if path.is_dir():
            raise SourceError("is a directory, not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except OSError as error:
        raise SourceError(f"cannot be read: {error.strerror or error}") from None
    text = decode(raw)
    if has_front_matter(text):
        return parse_markdown_article(text)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        raise SourceError("a Markdown file needs a front-matter header between '---' lines")
    return parse_page(text)


def site_zone(timezone: str | tzinfo | None = None) -> tzinfo:
    """*timezone* as a zone; None means the site's (config TIMEZONE)."""
    if timezone is None:
        from flask import current_app

        timezone = current_app.config["TIMEZONE"]
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def publication_moment(
    source: ArticleSource,
    *,
    default_date: date | None,
    existing: Article | None,
    now: datetime,
    zone: tzinfo,
) -> datetime:
    """The file's own date; else --date; else the date an earlier import gave; else today."""
    if source.day is not None:
        return local_to_utc(source.day, source.time, zone)
    if default_date is not None:
        return local_to_utc(default_date, None, zone)
    if existing is not None and existing.published_at is not None:
        return existing.published_at
    return local_to_utc(local_day(now, zone), None, zone)


def save_source(
    session: Session,
    source: ArticleSource,
    *,
    default_date: date | None,
    now: datetime,
    zone: tzinfo,
) -> tuple[Article, bool]:
    """Create or update the article *source* describes; True when it was created."""
    slug = source.slug or slugify(source.title)
    if not slug:
        raise SourceError("the title gives no slug; add 'slug:' to the header")
    owner = slug_owner(session, slug)
    existing = session.get(Article, owner) if owner is not None else None
    data = ArticleInput(
        title=source.title,
        body=source.body,
        author_name=source.author,
        slug=existing.slug if existing is not None else slug,
        topics=source.topics,
        summary=source.summary or (existing.summary if existing is not None else None),
        published_at=publication_moment(
            source, default_date=default_date, existing=existing, now=now, zone=zone
        ),
        comments_open=existing.comments_open if existing is not None else True,
        author_id=existing.author_id if existing is not None else None,
    )
    if existing is None:
        return create_article(session, data, now), True
    return update_article(session, existing, data, now), False


def import_files(
    session: Session,
    paths: Iterable[str | PathLike[str]],
    *,
    default_date: date | None = None,
    now: datetime,
    timezone: str | tzinfo | None = None,
) -> ImportReport:
    """Import each file in its own transaction (committed); the report lists every outcome.

    *timezone* is the site's (config TIMEZONE when None): dates without a time mean
    midnight there.
    """
    zone = site_zone(timezone)
    report = ImportReport()
    for path in map(Path, paths):
        try:
            source = read_source(path)
            article, created = save_source(
                session, source, default_date=default_date, now=now, zone=zone
            )
            session.commit()
        except (SourceError, DomainError) as error:
            session.rollback()
            report.results.append(FileResult(str(path), "failed", str(error)))
            continue
        except SQLAlchemyError as error:
            session.rollback()
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            report.results.append(FileResult(str(path), "failed", f"database refused: {reason}"))
            continue
        day = local_day(article.published_at, zone).isoformat()
        note = f"“{article.title}”, {day}"
        if article.deleted_at is not None:
            note += ", deleted: stays deleted"
        report.results.append(
            FileResult(
                str(path),
                "created" if created else "updated",
                note,
                slug=article.slug,
                published_at=article.published_at,
                warning=_date_warning(source, default_date, created, day),
            )
        )
    return report


def _date_warning(
    source: ArticleSource, default_date: date | None, created: bool, day: str
) -> str | None:
    """Say so when the file named no date and nothing on the command line gave one."""
    if source.day is not None or default_date is not None:
        return None
    if created:
        return f"no date found in the file; dated {day} (today). Give --date YYYY-MM-DD to set it."
    return (
        f"no date found in the file; kept {day} from the earlier import. "
        "Give --date YYYY-MM-DD to set it."
    )
