"""Small WordPress export files written for tests (the real ones are read in ../shared)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Altes Blog</title>
<link>http://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>http://old.example.org</wp:base_site_url>
<wp:base_blog_url>http://old.example.org</wp:base_blog_url>
<wp:author><wp:author_id>7</wp:author_id><wp:author_login>clara</wp:author_login>
<wp:author_email>clara@old.example.org</wp:author_email>
<wp:author_display_name><![CDATA[Clara Hoffmann]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>geld</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Geld]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>4</wp:term_id><wp:tag_slug>zinsen</wp:tag_slug>
<wp:tag_name><![CDATA[Zinsen]]></wp:tag_name></wp:tag>
"""
TAIL = "</channel>\n</rss>\n"


def xml_safe(value: str) -> str:
    """*value* without the characters XML 1.0 cannot hold (a file can carry no others)."""
    return _NOT_XML.sub("", value)


def text(value: str) -> str:
    """*value* as XML character data."""
    return escape(xml_safe(value))


@dataclass
class C:
    wp_id: int
    author: str = "Gast"
    email: str = "gast@example.net"
    content: str = "Ein Kommentar."
    approved: str = "1"
    parent: int = 0
    user_id: int = 0
    date: str = "2012-03-04 10:00:00"


@dataclass
class P:
    wp_id: int
    title: str = "Ein Artikel"
    slug: str = "ein-artikel"
    content: str = "Erster Absatz.\n\nZweiter Absatz."
    post_type: str = "post"
    status: str = "publish"
    date: str = "2012-03-01 09:00:00"
    date_gmt: str = "2012-03-01 08:00:00"
    comments: list[C] = field(default_factory=list)
    terms: list[tuple[str, str, str]] = field(
        default_factory=lambda: [("category", "geld", "Geld"), ("post_tag", "zinsen", "Zinsen")]
    )


def item(post: P) -> str:
    parts = [
        "<item>",
        f"<title>{text(post.title)}</title>",
        f"<link>http://old.example.org/?p={post.wp_id}</link>",
        "<dc:creator>clara</dc:creator>",
        f"<content:encoded>{text(post.content)}</content:encoded>",
        "<excerpt:encoded></excerpt:encoded>",
        f"<wp:post_id>{post.wp_id}</wp:post_id>",
        f"<wp:post_date>{post.date}</wp:post_date>",
        f"<wp:post_date_gmt>{post.date_gmt}</wp:post_date_gmt>",
        "<wp:comment_status>open</wp:comment_status>",
        f"<wp:post_name>{text(post.slug)}</wp:post_name>",
        f"<wp:status>{post.status}</wp:status>",
        f"<wp:post_type>{post.post_type}</wp:post_type>",
        "<wp:post_password></wp:post_password>",
    ]
    parts += [
        f'<category domain="{kind}" nicename="{slug}">{text(name)}</category>'
        for kind, slug, name in post.terms
    ]
    for comment in post.comments:
        parts += [
            "<wp:comment>",
            f"<wp:comment_id>{comment.wp_id}</wp:comment_id>",
            f"<wp:comment_author>{text(comment.author)}</wp:comment_author>",
            f"<wp:comment_author_email>{text(comment.email)}</wp:comment_author_email>",
            f"<wp:comment_date>{comment.date}</wp:comment_date>",
            f"<wp:comment_date_gmt>{comment.date}</wp:comment_date_gmt>",
            f"<wp:comment_content>{text(comment.content)}</wp:comment_content>",
            f"<wp:comment_approved>{comment.approved}</wp:comment_approved>",
            f"<wp:comment_parent>{comment.parent}</wp:comment_parent>",
            f"<wp:comment_user_id>{comment.user_id}</wp:comment_user_id>",
            "</wp:comment>",
        ]
    parts.append("</item>")
    return "\n".join(parts) + "\n"


def wxr(*posts: P) -> bytes:
    return (HEAD + "".join(item(post) for post in posts) + TAIL).encode("utf-8")
