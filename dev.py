#!/usr/bin/env python3
"""Set up DOM Desk in a local virtual environment, then start it or test it.

    python3 dev.py start     # install (first time), then open the demo region
    python3 dev.py test      # install (first time), then run the whole test suite
    python3 dev.py lint      # ruff check, ruff format --check and the layer contracts
    python3 dev.py check-qt  # are the system libraries Qt needs on Linux installed?

Needs only Python 3.11+ with pip and venv. Re-installs when pyproject.toml changes.
Extra arguments go to the app or to pytest.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import venv
from collections.abc import Callable
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


# --- Qt's system libraries on Linux --------------------------------------------------
# PySide6 bundles Qt but not the X11/OpenGL libraries its xcb platform plugin loads; when
# one is missing Qt aborts with a message that names the wrong package. So `start` looks
# first and names the exact packages.

#: Every system library Qt's xcb plugin (and the Qt it loads) needs, by soname, with the
#: Debian/Ubuntu package that ships it (checked against `ldd libqxcb.so` on Debian 12).
QT_XCB_LIBRARIES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_SONAME = re.compile(r"^lib(?P<name>.+)\.so\.(?P<version>[\d.]+)$")


def missing_from_ldd(ldd_output: str) -> list[str]:
    """The libraries `ldd` reports as "not found", in order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships a library: the table, else Debian's naming
    rule (libfoo.so.1 is in libfoo1, libfoo2.so.0 in libfoo2-0)."""
    if soname in QT_XCB_LIBRARIES:
        return QT_XCB_LIBRARIES[soname]
    match = _SONAME.match(soname)
    if not match:
        return soname
    name, version = match["name"].lower(), match["version"].split(".")[0]
    return f"lib{name}{'-' if name[-1].isdigit() else ''}{version}"


def _xcb_plugin_files() -> list[Path]:
    """The xcb platform plugin and its helper library inside .venv's PySide6, if installed."""
    for qt in sorted(VENV.glob("lib/python3*/site-packages/PySide6/Qt")):
        plugin = qt / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return [plugin, *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))]
    return []


def missing_qt_libraries() -> list[str]:
    """The system libraries Qt's xcb plugin needs that this machine lacks."""
    files = _xcb_plugin_files()
    ldd = shutil.which("ldd")
    if files and ldd:
        result = subprocess.run(
            [ldd, *map(str, files)], capture_output=True, text=True, check=False
        )
        return missing_from_ldd(result.stdout)
    return missing_by_lookup(ctypes.util.find_library)


def missing_by_lookup(find: Callable[[str], str | None]) -> list[str]:
    """No PySide6 yet, or no ldd: the known libraries that `find` (ctypes.util.find_library,
    which asks the dynamic loader's cache) cannot find."""
    return [
        soname
        for soname in QT_XCB_LIBRARIES
        if find(soname.removeprefix("lib").split(".so")[0]) is None
    ]


def install_advice(missing: list[str]) -> str:
    """One sentence: what is missing and the command that installs it on this system."""
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    names = ", ".join(missing)
    if shutil.which("apt-get"):
        packages = " ".join(dict.fromkeys(debian_package(s) for s in missing))
        how = f"Install them with: {sudo}apt-get install {packages}"
    elif shutil.which("dnf"):
        bits = "(64bit)" if platform.architecture()[0] == "64bit" else ""
        provides = " ".join(f"'{s}(){bits}'" for s in missing)
        how = f"Install them with: {sudo}dnf install {provides}"
    else:
        how = "Install the packages that provide them with your system's package manager"
    return f"Qt needs system libraries that are missing: {names}. {how}"


def _uses_xcb(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """None when Qt will use its xcb plugin here, else why the check does not apply."""
    if not sys.platform.startswith("linux"):
        return "Qt needs no extra system libraries on Windows or macOS."
    wanted = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted and wanted != "xcb":
        return f"QT_QPA_PLATFORM={wanted}: Qt will not use the X11 (xcb) libraries."
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return (
            "No screen here (neither DISPLAY nor WAYLAND_DISPLAY is set): set "
            "QT_QPA_PLATFORM=offscreen to run without one."
        )
    if not wanted and not environ.get("DISPLAY"):
        return "A Wayland session with no X display: Qt will use its Wayland plugin."
    return None


def check_qt(verbose: bool = False) -> int:
    """1, after printing the one-line fix, when Qt's libraries are missing; else 0."""
    skipped = _uses_xcb(os.environ)
    if skipped:
        if verbose or sys.platform.startswith("linux"):
            print(f"Qt library check skipped. {skipped}", flush=True)
        return 0
    missing = missing_qt_libraries()
    if missing:
        print(install_advice(missing), file=sys.stderr, flush=True)
        return 1
    if verbose:
        print("Qt's system libraries are all installed.")
    return 0


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


def _exit_code(returncode: int) -> int:
    """A child killed by a signal (Qt aborts with SIGABRT) reports -N; say so and return
    the shell's 128+N rather than letting sys.exit turn -6 into a puzzling 250."""
    if returncode >= 0:
        return returncode
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    print(f"DOM Desk was stopped by {name}.", file=sys.stderr)
    return 128 - returncode


def pytest_arguments(args: list[str], cpus: int | None) -> list[str]:
    """pytest's arguments: the suite runs on every core (pytest-xdist) unless the caller
    chose a number of workers (``-n 1``) or there is only one core."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) for a in args)
    if chosen or "no:xdist" in args or (cpus or 1) < 2:
        return args
    return ["-n", "auto", *args]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("start", "test", "lint", "check-qt"):
        print(__doc__)
        return 2
    if argv[0] == "check-qt":  # looks only: installs nothing
        return check_qt(verbose=True)
    ensure_environment()
    if argv[0] == "lint":
        return lint()
    if argv[0] == "start":
        if check_qt():
            return 1
        command = [str(_python()), "-m", "dom_desk", "--demo", *argv[1:]]
    else:
        command = [str(_python()), "-m", "pytest", *pytest_arguments(argv[1:], os.cpu_count())]
    return _exit_code(subprocess.call(command, cwd=ROOT))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
