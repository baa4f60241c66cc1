"""The old addresses of imported content, kept so that requests for them are redirected."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LegacyPath, LegacyTarget
from app.services.wordpress.report import ImportReport

PATH_MAX = 500


def remember(
    session: Session,
    paths: list[str],
    target: LegacyTarget,
    target_id: int,
    report: ImportReport,
) -> None:
    """Point each of *paths* at the target; a path another item had first stays with it."""
    for path in paths:
        if len(path) > PATH_MAX:
            continue
        existing = session.scalar(select(LegacyPath).where(LegacyPath.path == path))
        if existing is None:
            session.add(LegacyPath(path=path, target=target, target_id=target_id))
            report.created["addresses"] += 1
        elif (existing.target, existing.target_id) != (target, target_id):
            report.warnings.append(f"old address {path} belongs to an earlier item; kept there")


def lookup(session: Session, path: str) -> LegacyPath | None:
    return session.scalar(select(LegacyPath).where(LegacyPath.path == path))
