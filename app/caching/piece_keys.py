"""Where the top-level threads of one page are kept for a member who owns some of them, so
that their page is put together from the store alone (app/caching/shell.py); made by
``ThreadView.piece_keys`` (app/caching/fragments.py)."""

from __future__ import annotations

from dataclasses import dataclass

from app.caching.holes import Parts
from app.caching.store import Store


@dataclass(frozen=True)
class PieceKeys:
    """Where the top-level threads of one page are kept for one viewer who owns some."""

    order: tuple[int, ...]
    pages: int  # how many pages of comments this viewer has (the pager says so)
    window: tuple  # everybody else's threads of the page, read as one entry (encoded)
    theirs: tuple[tuple[int, tuple], ...]  # each of them with its own piece's key
    own: tuple[tuple[int, tuple], ...]  # the viewer's, kept for them with their token's hole

    def read(self, cache: Store) -> list[bytes | Parts] | None:
        """The threads in order from the store alone; None when one is not kept. The window
        entry is made from the kept pieces by the first request that asks for it."""
        found = cache.get_many([self.window, *(key for _, key in self.own)])
        shared, own = found[0], dict(zip((root for root, _ in self.own), found[1:], strict=True))
        if any(piece is None for piece in own.values()):
            return None
        if shared is None:
            pieces = cache.get_many(key for _, key in self.theirs)
            if any(piece is None for piece in pieces):
                return None
            roots = (root for root, _ in self.theirs)
            shared = {root: piece.encode() for root, piece in zip(roots, pieces, strict=True)}
            cache.put(self.window, shared, sum(map(len, shared.values())))
        return [shared[root] if root in shared else own[root] for root in self.order]
