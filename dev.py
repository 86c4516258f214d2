#!/usr/bin/env python3
"""Set up DOM Desk in a local virtual environment, then start it or test it.

    python3 dev.py start     # install (first time), then open the demo region
    python3 dev.py test      # install (first time), then run the whole test suite
    python3 dev.py lint      # ruff check, ruff format --check and the layer contracts

Needs only Python 3.11+ with pip and venv. Re-installs when pyproject.toml changes.
Extra arguments go to the app or to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".dom-desk-installed"


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("DOM Desk needs Python 3.11 or newer.")
    if not _python().exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing DOM Desk and its dependencies ...", flush=True)
    pip = [str(_python()), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


#: The checks `dev.py lint` runs, in order; each must pass (CI runs them before the tests).
LINTERS = (
    ["ruff", "check", "."],
    ["ruff", "format", "--check", "."],
    ["lint-imports"],  # the layer contracts in pyproject.toml
)


def lint() -> int:
    for tool, *args in LINTERS:
        print(f"$ {tool} {' '.join(args)}", flush=True)
        code = subprocess.call([str(BIN / tool), *args], cwd=ROOT)
        if code:
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("start", "test", "lint"):
        print(__doc__)
        return 2
    ensure_environment()
    if argv[0] == "lint":
        return lint()
    if argv[0] == "start":
        command = [str(_python()), "-m", "dom_desk", "--demo", *argv[1:]]
    else:
        command = [str(_python()), "-m", "pytest", *argv[1:]]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
