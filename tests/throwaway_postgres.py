"""A PostgreSQL server of a test's own, to stop and start again; never the shared one.

Made with the installed server's initdb and pg_ctl in a temporary folder, listening on a
free port of 127.0.0.1. initdb refuses to run as root, so as root it runs as the system's
``postgres`` user, which then owns the folder.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.support import require


def _binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self) -> None:
        bin_dir = _binaries()
        require(bin_dir is not None, "PostgreSQL's initdb is not installed (/usr/lib/postgresql)")
        self.bin = bin_dir
        self.as_root = os.geteuid() == 0
        require(
            not self.as_root or shutil.which("runuser") is not None,
            "runuser is needed to run initdb as the postgres user",
        )
        self.folder = Path(tempfile.mkdtemp(prefix="diskurs-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.user = "postgres" if self.as_root else getpass.getuser()
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "--no-sync")

    def _run(self, tool: str, *arguments: str) -> None:
        command = [str(self.bin / tool), *arguments]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> str:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped already
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
