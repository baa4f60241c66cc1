"""``flask import wordpress`` refuses hostile and broken files and writes nothing then."""

from __future__ import annotations

import io
import tracemalloc
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Comment, LegacyPath, Topic, User, utcnow
from app.services.wordpress import import_wxr
from app.services.wordpress.reader import read_wxr
from tests.wxr_support import HEAD, TAIL, C, P, item, wxr

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""


def _rows(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Article, Topic, Comment, LegacyPath)
        )


def _cli(app, path):
    return app.test_cli_runner().invoke(args=["import", "wordpress", str(path)])


def test_entity_expansion_is_refused_and_nothing_written(app, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_bytes(BILLION_LAUGHS)
    before = _rows(app)
    result = _cli(app, path)
    assert result.exit_code != 0
    assert "refused" in result.output and "entities" in result.output
    assert _rows(app) == before


def test_external_entities_are_refused_and_nothing_written(app, tmp_path):
    path = tmp_path / "external.xml"
    path.write_bytes(EXTERNAL)
    before = _rows(app)
    result = _cli(app, path)
    assert result.exit_code != 0
    assert "refused" in result.output
    assert "root:" not in result.output
    assert _rows(app) == before


def test_malformed_xml_names_the_line(app, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<rss>\n<channel>\n<item><title>x</item>\n</rss>')
    result = _cli(app, path)
    assert result.exit_code == 1
    assert "line 4" in result.output and "nothing was imported" in result.output


def test_a_file_failing_in_the_middle_leaves_the_database_as_it_was(app, tmp_path):
    good = "".join(item(P(n, slug=f"a{n}", comments=[C(100 + n)])) for n in range(1, 30))
    path = tmp_path / "cut.xml"
    path.write_bytes((HEAD + good + "<item><title>cut off</title>\n<wp:post_id>").encode())
    before = _rows(app)
    result = _cli(app, path)
    assert result.exit_code == 1
    assert "malformed XML at line" in result.output
    assert _rows(app) == before


def test_not_an_export_is_refused(app, tmp_path):
    path = tmp_path / "other.xml"
    path.write_bytes(b"<html><body>no</body></html>")
    result = _cli(app, path)
    assert result.exit_code == 1 and "not a WordPress export" in result.output


def test_the_command_prints_the_report_without_a_progress_bar_off_a_terminal(app, tmp_path):
    path = tmp_path / "small.xml"
    path.write_bytes(wxr(P(1, comments=[C(5)])))
    result = _cli(app, path)
    assert result.exit_code == 0, result.output
    assert "articles: 1 created, 0 updated" in result.output
    assert "Reading" not in result.output
    dry = app.test_cli_runner().invoke(args=["import", "wordpress", str(path), "--dry-run"])
    assert "nothing was written" in dry.output


def _large_file(path, megabytes: int, repeat: int = 40) -> int:
    """An export of about *megabytes*: posts with many long comments, written in pieces."""
    paragraph = "Ein langer Kommentar über Zinsen und Geduld. " * repeat  # 40: about 1.8 kB
    with path.open("wb") as out:
        out.write(HEAD.encode())
        number = 0
        while out.tell() < megabytes * 1_000_000:
            number += 1
            comments = [C(number * 1000 + n, content=paragraph) for n in range(200)]
            out.write(item(P(number, slug=f"p{number}", comments=comments)).encode())
        out.write(TAIL.encode())
        return out.tell()


def test_reading_a_large_export_needs_little_memory(tmp_path):
    path = tmp_path / "large.xml"
    size = _large_file(path, 20)
    tracemalloc.start()
    with path.open("rb") as stream:
        records = sum(1 for _ in read_wxr(stream))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert records > 5000
    assert peak < size / 10, (peak, size)


def test_importing_a_large_export_needs_bounded_memory(app, tmp_path):
    path = tmp_path / "large.xml"
    size = _large_file(path, 4, repeat=200)
    with app.app_context():
        # Warm up first: modules, compiled statements and the cleaner's tables are loaded
        # once, whatever the file's size; the measure is what the file itself costs.
        import_wxr(
            db.session,
            io.BytesIO(wxr(P(1, comments=[C(5)]))),
            now=utcnow(),
            zone=ZoneInfo("UTC"),
            dry_run=True,
        )
        tracemalloc.start()
        with path.open("rb") as stream:
            report = import_wxr(db.session, stream, now=utcnow(), zone=ZoneInfo("UTC"))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert report.created["comments"] > 400
    assert peak < size / 3, (peak, size)  # about 1.8 MB for this 5.8 MB file


def test_the_reader_hands_comments_on_after_their_post():
    data = wxr(P(1, comments=[C(5), C(6)]), P(2, slug="b"))
    kinds = [type(record).__name__ for record in read_wxr(io.BytesIO(data))]
    assert kinds[-4:] == ["PostRecord", "CommentRecord", "CommentRecord", "PostRecord"]


def test_a_progress_bar_on_a_terminal(app, tmp_path, monkeypatch):
    from app import wordpress_cli

    monkeypatch.setattr(wordpress_cli, "on_terminal", lambda: True)
    path = tmp_path / "small.xml"
    path.write_bytes(wxr(P(1, comments=[C(5)])))
    result = _cli(app, path)
    assert result.exit_code == 0, result.output
    assert "Reading" in result.output
    assert "articles: 1 created" in result.output
