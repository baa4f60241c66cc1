"""The running deployment, built once for the tests of this folder (PostgreSQL pass only).

A throwaway database on the PostgreSQL server, the schema from the migrations, a few
accounts and an article; then two gunicorn instances and nginx in front, each from the
repository's deploy/ files. Rate-limit counts go to the test Redis under a key prefix of
this run's own.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.models import UserRole, utcnow
from tests.conftest import make_app, migrate_to_head
from tests.deploy.stack import NGINX, Nginx, WebInstance, Worker, free_port, read_env_file
from tests.deploy.web import Client
from tests.mail_server import Mailbox
from tests.support import (
    PASSWORD,
    PG_ADMIN_URL,
    REDIS_URL,
    Factory,
    drop_pg_database,
    postgres_available,
    redis_available,
    require,
)

MEMBERS = ("anna", "ben", "carla", "dirk", "emil", "frieda", "gustav")
MODERATORS = ("moni", "mats", "mira")


@dataclass
class Stack:
    folder: Path
    database_url: str
    env: dict[str, str]
    nginx: Nginx
    instances: list[WebInstance]
    mailbox: Mailbox
    make: Factory
    slug: str
    users: dict[str, object] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)

    @property
    def app(self):  # noqa: ANN201
        return self.make.app

    def client(self, port: int | None = None) -> Client:
        return Client(port or self.nginx.port)

    def member(self, name: str, port: int | None = None) -> Client:
        """A client logged in as *name* (through nginx unless *port* says otherwise)."""
        client = self.client(port)
        answer = client.log_in(name, PASSWORD)
        assert answer.status == 302, (answer.status, answer.text[:500])
        assert "session" in client.cookies
        return client

    @property
    def reader_max_age(self) -> int:
        return int(self.env.get("DISKURS_READER_MAX_AGE", "10"))

    def start_workers(self, count: int) -> list[Worker]:
        for number in range(1, count + 1):
            worker = Worker(number, self.env, self.folder)
            worker.start()
            self.workers.append(worker)
        return self.workers

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers.clear()


def _environment(database_url: str, nginx_port: int, mailbox: Mailbox) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISKURS_", "NOTIFY_"))}
    env.update(read_env_file())
    env.update(
        DISKURS_DATABASE_URL=database_url,
        DISKURS_SECRET_KEY=secrets.token_hex(32),
        DISKURS_BASE_URL=f"http://127.0.0.1:{nginx_port}",
        DISKURS_TRUSTED_HOSTS="127.0.0.1,localhost",
        DISKURS_RATELIMIT_STORAGE_URI=REDIS_URL,
        DISKURS_RATELIMIT_KEY_PREFIX=f"diskurs-deploy-{uuid.uuid4().hex[:12]}",
        DISKURS_CACHE_REDIS_URL=REDIS_URL,
        DISKURS_MAIL_SERVER="127.0.0.1",
        DISKURS_MAIL_PORT=str(mailbox.port),
        DISKURS_MAIL_FROM="diskurs@example.org",
        DISKURS_NOTIFICATION_POLL_SECONDS="1",
        DISKURS_WEB_WORKERS="2",
    )
    return env


def _database() -> tuple[str, str]:
    name = f"diskurs_deploy_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _seed(stack: Stack) -> None:
    make = stack.make
    article = make.article("Viele Leser, viele Kommentare", body="Ein Artikel für alle.")
    stack.slug = article.slug
    stack.users["article"] = article
    for name in MEMBERS:
        user = make.user(name)
        stack.users[name] = user
        # One approved comment each: their next ones are published at once (policy "first").
        stack.users[f"{name}-comment"] = make.comment(
            article, user, f"Erster Beitrag von {name}.", created_at=utcnow() - timedelta(hours=2)
        )
    for name in MODERATORS:
        stack.users[name] = make.user(name, role=UserRole.MODERATOR)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Off PostgreSQL, the tests of the running deployment are not collected at all (not
    skipped): they belong to the PostgreSQL pass, which runs them."""
    if config.getoption("--database") == "postgresql":
        return
    here = Path(__file__).parent
    away = [item for item in items if "stack" in item.fixturenames and here in item.path.parents]
    if away:
        config.hook.pytest_deselected(items=away)
        items[:] = [item for item in items if item not in away]


@pytest.fixture(scope="package")
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    if request.config.getoption("--database") != "postgresql":
        pytest.skip("the deployment runs on PostgreSQL: tested in the PostgreSQL pass")
    require(NGINX is not None, "nginx is not installed (apt-get install nginx)")
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    require(redis_available(), "Redis is not reachable at 127.0.0.1:6379")
    folder = tmp_path_factory.mktemp("deploy")
    name, url = _database()
    mailbox = Mailbox()
    mailbox.start()
    processes: list = []
    app = None
    try:
        app = make_app(url, folder)
        migrate_to_head(app)
        ports = [free_port(), free_port()]
        nginx_port = free_port()
        env = _environment(url, nginx_port, mailbox)
        instances = [WebInstance(port, env, folder) for port in ports]
        nginx = Nginx(nginx_port, ports, folder)
        stack = Stack(folder, url, env, nginx, instances, mailbox, Factory(app), slug="")
        _seed(stack)
        for process in (*instances, nginx):
            processes.append(process)
            process.start()
        yield stack
        stack.stop_workers()
    finally:
        for process in reversed(processes):
            process.stop()
            if isinstance(process, WebInstance):
                process.stop(close_socket=True)
        mailbox.stop()
        if app is not None:
            with app.app_context():
                from app.extensions import db

                db.session.remove()
                db.engine.dispose()
        drop_pg_database(name)
