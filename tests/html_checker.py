"""The Nu HTML checker (vnu.jar), run once over many documents.

Starting the Java checker costs about a second, so a test run collects the raw HTML of every
page it wants checked and hands all of them to one checker process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from tests.support import require

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = "run `make node_modules/.installed` (needs npm)"


@dataclass(frozen=True)
class Problem:
    """One message of the checker that makes a document invalid."""

    kind: str
    message: str
    line: int | None
    extract: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message} [{self.extract.strip()}]"


def require_checker() -> None:
    require(
        shutil.which("java") is not None,
        "Java is not installed: sudo apt-get install default-jre-headless",
    )
    require(VNU_JAR.exists(), f"the Nu HTML checker is missing: {INSTALL_HINT}")


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".html"


def check_documents(documents: dict[str, bytes]) -> dict[str, list[Problem]]:
    """Check every document (name -> raw HTML) in one checker run; errors per name.

    Only errors count ("error" and "non-document-error"); the checker's warnings and infos
    are advice, not invalidity.
    """
    require_checker()
    problems: dict[str, list[Problem]] = {name: [] for name in documents}
    with tempfile.TemporaryDirectory(prefix="diskurs-vnu-") as directory:
        names_by_path: dict[str, str] = {}
        paths = []
        for name, html in documents.items():
            path = Path(directory) / _file_name(name)
            assert str(path.resolve()) not in names_by_path, f"two documents named like {name!r}"
            path.write_bytes(html)
            names_by_path[str(path.resolve())] = name
            paths.append(str(path))
        result = subprocess.run(
            ["java", "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *paths],
            capture_output=True,
            check=False,
            timeout=600,
        )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        stderr = result.stderr.decode(errors="replace")[:2000]
        raise AssertionError(
            f"the checker gave no report (exit {result.returncode}): {stderr}"
        ) from error
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = str(Path(unquote(urlparse(message.get("url", "")).path)).resolve())
        name = names_by_path.get(path)
        problem = Problem(
            kind=message["type"],
            message=message.get("message", ""),
            line=message.get("lastLine"),
            extract=message.get("extract", ""),
        )
        if name is None:  # a message about no document in particular fails them all
            for found in problems.values():
                found.append(problem)
        else:
            problems[name].append(problem)
    return problems
