"""Authors and commenters of an import: accounts for authors, guests for everyone else.

Authors become accounts without a usable password: they set one through the reset mail.
A commenter without an account becomes a guest: a name on comments, no login, no mail;
the address is kept only so that its owner can later claim the comments.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User, UserKind, UserRole, email_key, username_key
from app.services.wordpress.mapping import account_name, guest_key, guest_name
from app.services.wordpress.reader import Author, CommentRecord
from app.services.wordpress.report import ImportReport


def _free_name(session: Session, wanted: str) -> str:
    name, number = wanted, 1
    while session.scalar(select(User.id).where(User.username_key == username_key(name))):
        number += 1
        suffix = f"-{number}"
        name = wanted[: 30 - len(suffix)] + suffix
    return name


def upsert_author(session: Session, author: Author, report: ImportReport, now: datetime) -> int:
    """The account of *author*: found by WordPress id, then by address, else created."""
    user = None
    if author.wp_id is not None:
        user = session.scalar(select(User).where(User.wp_id == author.wp_id))
    if user is None and author.email:
        user = session.scalar(select(User).where(User.email_key == email_key(author.email)))
    if user is None and author.wp_id is None and author.login:
        # Exports without author ids: a second import finds the account it created by name.
        user = session.scalar(
            select(User).where(
                User.username_key == username_key(account_name(author.login, "author")),
                User.password_hash.is_(None),
                User.kind == UserKind.ACCOUNT,
            )
        )
    if user is not None:
        if author.wp_id is not None and user.wp_id is None:
            user.wp_id = author.wp_id
        report.updated["accounts"] += 1
        return user.id
    address = author.email.strip() or None
    if address and session.scalar(select(User.id).where(User.email_key == email_key(address))):
        address = None
    name = _free_name(session, account_name(author.login, "author"))
    user = User(
        username=name,
        username_key=username_key(name),
        email=address,
        email_key=email_key(address) if address else None,
        password_hash=None,  # no usable password: the reset mail gives one
        role=UserRole.MEMBER,
        wp_id=author.wp_id,
        created_at=now,
    )
    session.add(user)
    session.flush()
    report.created["accounts"] += 1
    return user.id


def guest_for(
    session: Session,
    comment: CommentRecord,
    known: dict[str, int],
    report: ImportReport,
    now: datetime,
) -> int:
    """The guest user who wrote *comment*, one per name and address."""
    key = guest_key(comment)
    if key in known:
        return known[key]
    found = session.scalar(select(User.id).where(User.guest_key == key))
    if found is None:
        address = email_key(comment.email) if comment.email.strip() else None
        guest = User(
            username=guest_name(comment),
            kind=UserKind.GUEST,
            guest_key=key,
            claim_email=address,
            password_hash=None,
            role=UserRole.MEMBER,
            created_at=now,
        )
        session.add(guest)
        session.flush()
        found = guest.id
        report.created["guests"] += 1
    known[key] = found
    return found
