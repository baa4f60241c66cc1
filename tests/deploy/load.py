"""A bounded load through nginx: readers, a member reading, a moderator writing, in threads."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.deploy.web import Client, comment_id


@dataclass
class Outcome:
    reads: Counter = field(default_factory=Counter)  # status (or error name) -> count
    posts: list[tuple[str, int | str, int | None]] = field(default_factory=list)  # body, status, id

    @property
    def acknowledged(self) -> dict[str, int]:
        return {body: number for body, _status, number in self.posts if number}


class Load:
    """Runs until stopped; each thread keeps going whatever the answers."""

    def __init__(self, readers: list[Client], paths: list[str], poster: Client | None,
                 slug: str, post_every: float = 1.0) -> None:  # fmt: skip
        self.readers, self.paths, self.poster, self.slug = readers, paths, poster, slug
        self.post_every = post_every
        self.outcome = Outcome()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _read(self, client: Client) -> None:
        n = 0
        while not self._stop.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            try:
                status: int | str = client.get(path, timeout=30).status
            except OSError as error:
                status = type(error).__name__
            with self._lock:
                self.outcome.reads[status] += 1

    def _write(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            body = f"Unter Last geschrieben, Nummer {n} ({time.monotonic_ns()})."
            try:
                answer = self.poster.post_comment(self.slug, body, timeout=30)
                status, number = answer.status, comment_id(answer)
            except (OSError, AssertionError) as error:
                status, number = type(error).__name__, None
            with self._lock:
                self.outcome.posts.append((body, status, number))
            self._stop.wait(self.post_every)

    def __enter__(self) -> Load:
        targets = [(self._read, (client,)) for client in self.readers]
        if self.poster is not None:
            targets.append((self._write, ()))
        for target, args in targets:
            thread = threading.Thread(target=target, args=args, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
