"""`dev.py start` names the missing Qt system libraries and the command that installs them.

dev.py is a plain script at the repository root, so it is loaded by path. The ldd output
and the library look-up are passed in, so a missing library is simulated without
uninstalling anything; the command-line tests run `dev.py check-qt`, which installs
nothing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What `ldd libqxcb.so` printed on a Debian 12 machine missing two of Qt's libraries.
LDD_MISSING_TWO = """\
\tlinux-vdso.so.1 (0x00007fd7e05cf000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007fd7e0501000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007fd7e0471000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fd7e0417000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007fd7e040f000)
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fd7de61e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007fd7e05d1000)
"""


def load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = load_dev()


def test_ldd_output_gives_each_missing_library_once_in_order() -> None:
    assert dev.missing_from_ldd(LDD_MISSING_TWO) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_ldd_output_with_everything_found_gives_nothing() -> None:
    found = LDD_MISSING_TWO.replace("=> not found", "=> /lib/x86_64-linux-gnu/x.so (0x1)")
    assert dev.missing_from_ldd(found) == []


def test_advice_is_one_line_naming_the_libraries_and_the_apt_get_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dev.shutil, "which", lambda tool: "/usr/bin/" + tool)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    advice = dev.install_advice(dev.missing_from_ldd(LDD_MISSING_TWO))
    assert advice == (
        "Qt needs system libraries that are missing: libxcb-icccm.so.4, "
        "libxcb-keysyms.so.1. Install them with: sudo apt-get install libxcb-icccm4 "
        "libxcb-keysyms1"
    )


def test_advice_without_apt_get_uses_dnf_or_general_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    monkeypatch.setattr(dev.shutil, "which", lambda tool: "/usr/bin/dnf" if tool == "dnf" else None)
    assert "Install them with: dnf install 'libxcb-cursor.so.0()" in dev.install_advice(
        ["libxcb-cursor.so.0"]
    )
    monkeypatch.setattr(dev.shutil, "which", lambda tool: None)
    advice = dev.install_advice(["libxcb-cursor.so.0"])
    assert "missing: libxcb-cursor.so.0" in advice
    assert "your system's package manager" in advice


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libEGL.so.1", "libegl1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        # Not in the table: Debian's library naming rule.
        ("libxcb-xinerama.so.0", "libxcb-xinerama0"),
        ("libXi.so.6", "libxi6"),
        ("libfoo2.so.1", "libfoo2-1"),
    ],
)
def test_each_library_maps_to_its_debian_package(soname: str, package: str) -> None:
    assert dev.debian_package(soname) == package


def test_without_ldd_the_known_libraries_are_looked_up_by_name() -> None:
    absent = {"xcb-icccm", "EGL"}
    missing = dev.missing_by_lookup(lambda name: None if name in absent else f"lib{name}.so")
    assert missing == ["libEGL.so.1", "libxcb-icccm.so.4"]


def test_readme_apt_get_line_installs_every_library_the_check_knows() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"sudo apt-get install ((?:[^`]|\\\n)+?)\n```", readme)
    assert match, "the README's quick start gives the apt-get line"
    packages = match[1].replace("\\\n", " ").split()
    assert sorted(packages) == sorted(set(dev.QT_XCB_LIBRARIES.values()))


@pytest.mark.parametrize(
    ("environ", "why"),
    [
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "QT_QPA_PLATFORM=offscreen"),
        ({"QT_QPA_PLATFORM": "minimal"}, "QT_QPA_PLATFORM=minimal"),
        ({}, "No screen here"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "Wayland"),
    ],
)
def test_the_check_says_why_it_does_not_apply(environ: dict[str, str], why: str) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the check applies to Linux only")
    assert why in dev._uses_xcb(environ)


def test_the_check_applies_with_an_x_display() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the check applies to Linux only")
    assert dev._uses_xcb({"DISPLAY": ":0"}) is None
    assert dev._uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}) is None


def test_a_qt_abort_exits_134_not_250(capsys: pytest.CaptureFixture[str]) -> None:
    assert dev._exit_code(-6) == 134
    assert "SIGABRT" in capsys.readouterr().err
    assert dev._exit_code(3) == 3


def run_dev(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.pop("WAYLAND_DISPLAY", None)
    env.update(environ)
    return subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_check_qt_offscreen_is_skipped_and_succeeds() -> None:
    result = run_dev("check-qt", QT_QPA_PLATFORM="offscreen", DISPLAY=":0")
    assert result.returncode == 0
    if sys.platform.startswith("linux"):
        assert "Qt library check skipped. QT_QPA_PLATFORM=offscreen" in result.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_check_qt_with_a_display_reports_this_machine_and_installs_nothing() -> None:
    stamp = ROOT / ".venv" / ".dom-desk-installed"
    before = stamp.stat().st_mtime_ns if stamp.exists() else None
    result = run_dev("check-qt", DISPLAY=":0")
    expected = dev.missing_qt_libraries()
    if expected:
        assert result.returncode == 1
        assert result.stderr.strip() == dev.install_advice(expected)
    else:
        assert result.returncode == 0
        assert "all installed" in result.stdout
    assert (stamp.stat().st_mtime_ns if stamp.exists() else None) == before


def test_an_unknown_command_prints_the_usage_and_exits_2() -> None:
    result = run_dev("bogus")
    assert result.returncode == 2
    assert "python3 dev.py check-qt" in result.stdout


def test_start_stops_with_exit_1_before_launching_when_libraries_are_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    launched: list[object] = []
    monkeypatch.setattr(dev.sys, "platform", "linux")
    monkeypatch.setattr(dev, "ensure_environment", lambda: None)
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **k: launched.append(a) or 0)
    monkeypatch.setattr(dev, "missing_qt_libraries", lambda: ["libxcb-icccm.so.4"])
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    assert dev.main(["start"]) == 1
    assert launched == []
    assert "missing: libxcb-icccm.so.4" in capsys.readouterr().err

    monkeypatch.setattr(dev, "missing_qt_libraries", lambda: [])
    assert dev.main(["start"]) == 0
    assert len(launched) == 1
