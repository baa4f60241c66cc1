"""Starting the deployment from the repository's own files, on free ports in a folder.

nginx runs from deploy/nginx/diskurs.conf (its ${DISKURS_*} names filled in, as envsubst
would), wrapped in a main configuration of its own (prefix, pid, logs and temporary folders
in the test's folder; no root needed). The gunicorn instances and notification workers run
the command lines of deploy/systemd/*.service with the environment of
deploy/diskurs.env.example, overridden where a test machine differs (database, ports, mail).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT_ROOT / "deploy"
NGINX_TEMPLATE = DEPLOY / "nginx" / "diskurs.conf"
ENV_EXAMPLE = DEPLOY / "diskurs.env.example"
UNIT_ROOT = "/srv/diskurs/app"  # where the units expect the project; here: PROJECT_ROOT
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
_PLACEHOLDER = re.compile(r"\$\{(DISKURS_[A-Z_]+)\}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_template(text: str, values: dict[str, str]) -> str:
    """``envsubst`` with a list of names: those ``${NAME}`` are replaced, nothing else."""
    missing = set(_PLACEHOLDER.findall(text)) - set(values)
    assert not missing, f"no value for {sorted(missing)}"
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """NAME=value lines as systemd's EnvironmentFile reads them (comments skipped)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def unit_command(unit: str, instance: str, env: dict[str, str]) -> list[str]:
    """The ExecStart of a unit in deploy/systemd/, for *instance*, run from this checkout."""
    text = (DEPLOY / "systemd" / unit).read_text()
    line = next(row for row in text.splitlines() if row.startswith("ExecStart="))
    line = line.removeprefix("ExecStart=").replace("%i", instance)
    line = re.sub(r"\$\{(\w+)\}", lambda match: env[match.group(1)], line)
    line = line.replace(UNIT_ROOT + "/.venv/bin/", str(PROJECT_ROOT / ".venv" / "bin") + "/")
    return shlex.split(line.replace(UNIT_ROOT, str(PROJECT_ROOT)))


def wait_for(check, seconds: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s")


def answers(port: int, path: str) -> bool:
    import http.client

    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        status = connection.getresponse().status
        connection.close()
        return status == 200
    except OSError:
        return False


class Process:
    """One program of the deployment, its output in a log file of the test's folder."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], folder: Path) -> None:
        self.name, self.command, self.env = name, command, env
        self.log = folder / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout: float = 40) -> None:
        """SIGTERM, as systemd stops a unit: running requests and rounds finish first."""
        if not self.running:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# What systemd does before starting a socket-activated service: the socket as fd 3.
_HAND_OVER = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); "
    "os.environ.update(LISTEN_FDS='1', LISTEN_PID=str(os.getpid())); "
    "os.execv(sys.argv[2], sys.argv[2:])"
)


class WebInstance(Process):
    """gunicorn as diskurs-web@<port>.service runs it, on the socket its .socket unit holds.

    As systemd does, the test keeps the listening socket open between runs of gunicorn and
    hands it over as file descriptor 3 with LISTEN_FDS and LISTEN_PID (set by a small
    launcher to its own process id, which gunicorn keeps by exec).
    """

    def __init__(self, port: int, env: dict[str, str], folder: Path) -> None:
        self.unit = unit_command("diskurs-web@.service", str(port), env)
        super().__init__(f"web-{port}", self.unit, env, folder)
        self.port = port
        self.listener: socket.socket | None = None

    def _listen(self) -> socket.socket:
        text = (DEPLOY / "systemd" / "diskurs-web@.socket").read_text()
        backlog = int(re.search(r"^Backlog=(\d+)", text, re.MULTILINE).group(1))
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(backlog)
        return listener

    def start(self) -> None:
        if self.listener is None:
            self.listener = self._listen()
        fd = self.listener.fileno()
        self.command = [sys.executable, "-c", _HAND_OVER, str(fd), *self.unit]
        with self.log.open("a") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=(fd,),
            )
        wait_for(self.ready, 60, f"{self.name} did not answer /healthz\n{self.output()[-3000:]}")

    def stop(self, timeout: float = 40, close_socket: bool = False) -> None:
        """SIGTERM; with *close_socket* the socket goes too, as if the machine were gone."""
        super().stop(timeout)
        if close_socket and self.listener is not None:
            self.listener.close()
            self.listener = None

    def ready(self) -> bool:
        assert self.running, f"{self.name} exited:\n{self.output()[-3000:]}"
        return answers(self.port, "/healthz")


class Worker(Process):
    def __init__(self, number: int, env: dict[str, str], folder: Path) -> None:
        command = unit_command("diskurs-worker@.service", str(number), env)
        super().__init__(f"worker-{number}", command, env, folder)


class Nginx(Process):
    """nginx in the foreground with the repository's site file, rendered for this test."""

    def __init__(self, port: int, upstreams: list[int], folder: Path, probe: str = "/healthz"):
        self.port, self.prefix, self.probe = port, folder / "nginx", probe
        for sub in ("cache", "temp", "logs"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        servers = " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams)
        site = render_template(
            NGINX_TEMPLATE.read_text(),
            {
                "DISKURS_SERVER_NAME": "127.0.0.1 localhost",
                "DISKURS_LISTEN": f"127.0.0.1:{port}",
                "DISKURS_STATIC_ROOT": str(PROJECT_ROOT / "static"),
                "DISKURS_CACHE_DIR": str(self.prefix / "cache"),
                "DISKURS_UPSTREAM": servers,
            },
        )
        (self.prefix / "diskurs.conf").write_text(site)
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(self._main(self.prefix))
        command = [NGINX, "-p", str(self.prefix), "-c", str(self.config), "-e", "logs/error.log"]
        super().__init__("nginx", command, dict(os.environ), folder)

    @staticmethod
    def _main(prefix: Path) -> str:
        temp = prefix / "temp"
        # As root, nginx's workers would become "nobody", who cannot read the test's folders.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        return f"""{user}daemon off;
worker_processes auto;  # as Debian's nginx.conf
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;  # as Debian's nginx.conf
    tcp_nopush on;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/diskurs.conf;
}}
"""

    def check(self) -> subprocess.CompletedProcess:
        command = [NGINX, "-t", "-p", str(self.prefix), "-c", str(self.config)]
        return subprocess.run(command + ["-e", "logs/error.log"], capture_output=True, text=True)

    def start(self) -> None:
        super().start()
        wait_for(lambda: answers(self.port, self.probe), 30, "nginx did not answer")

    def error_log(self) -> str:
        return (self.prefix / "logs" / "error.log").read_text(errors="replace")
