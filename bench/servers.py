"""gunicorn servers for the benchmark: started, waited for, measured and stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.paths import PROJECT_ROOT, RESULTS

HOST = "127.0.0.1"
WORKERS = 2
# The same settings for the site and for the ceiling, so their figures compare.
GUNICORN_SETTINGS = ["--workers", str(WORKERS), "--worker-class", "sync", "--log-level", "warning"]


def port_in_use(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


class Server:
    """One gunicorn master with its workers; use as a context manager."""

    def __init__(self, name: str, app_spec: str, port: int, env: dict[str, str], probe: str):
        self.name, self.app_spec, self.port, self.probe = name, app_spec, port, probe
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path: Path = RESULTS / f"gunicorn-{name}.log"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Server:
        if port_in_use(self.port):
            raise SystemExit(f"port {self.port} is in use; stop what listens there first")
        RESULTS.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gunicorn", *GUNICORN_SETTINGS]
        command += ["--bind", f"{HOST}:{self.port}", self.app_spec]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} server exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + self.probe, timeout=5):
                    answered = True
            except urllib.error.HTTPError:
                answered = True  # it answers; the status is for the benchmark to judge
            except OSError:
                answered = False
            if answered and len(self.workers()) == WORKERS:
                return
            time.sleep(0.2)
        raise SystemExit(f"{self.name} server did not answer within {seconds} s")

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn stops its workers gracefully
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def worker_memory(self) -> list[dict[str, int]]:
        """Resident memory of each worker now (rss) and at its peak (hwm), in kB."""
        found = []
        for pid in self.workers():
            fields = {}
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    if key in ("VmRSS", "VmHWM"):
                        fields[key] = int(value.split()[0])
            except OSError:
                continue
            found.append({"pid": pid, "rss_kb": fields["VmRSS"], "hwm_kb": fields["VmHWM"]})
        return found
