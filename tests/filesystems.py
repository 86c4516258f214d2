"""Real small filesystems for data-safety tests: a full disk and a read-only place.

Why real mounts: a stubbed ``OSError`` tests what we think the operating system
does; a tmpfs that is really full, or a bind mount that is really read-only,
tests what it does (which call fails, with which errno, and what is left behind).

Mounting needs root on Linux. Where it is not allowed (not root, not Linux, a
container without CAP_SYS_ADMIN) each helper skips the test with the reason.

Use from a test module::

    from filesystems import full_filesystem, read_only_copy

    def test_x(tmp_path):
        with full_filesystem(tmp_path / "disk") as disk:
            ...  # disk is a directory on a tmpfs with no space left

or the fixtures ``full_disk`` / ``small_disk`` / ``read_only_dir`` after
``from filesystems import full_disk, small_disk, read_only_dir  # noqa: F401``.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

__all__ = [
    "fill",
    "free_bytes",
    "full_disk",
    "full_filesystem",
    "mount_refusal",
    "read_only_copy",
    "read_only_dir",
    "small_disk",
    "small_filesystem",
    "snapshot",
]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@cache
def mount_refusal() -> str | None:
    """Why this machine cannot mount a test filesystem, or None when it can (probed once)."""
    if not sys.platform.startswith("linux"):
        return f"real mounts are only made on Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root; these tests run as an ordinary user"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "mount/umount are not installed"
    probe = Path(f"/tmp/dom-desk-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        done = _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe))
        if done.returncode != 0:
            return f"mount refused here: {done.stderr.strip() or done.returncode}"
        _run("umount", str(probe))
        return None
    finally:
        probe.rmdir()


def _require_mounts() -> None:
    reason = mount_refusal()
    if reason:
        pytest.skip(reason)


def _unmount(path: Path) -> None:
    done = _run("umount", str(path))
    if done.returncode != 0:  # something still open (a failing test): detach lazily
        _run("umount", "-l", str(path))


@contextmanager
def small_filesystem(path: Path, size: str = "1m") -> Iterator[Path]:
    """A fresh tmpfs of ``size`` (mount's syntax: 512k, 2m) mounted at ``path``; unmounted after."""
    _require_mounts()
    path.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(path))
    if done.returncode != 0:
        pytest.skip(f"mount refused: {done.stderr.strip()}")
    try:
        yield path
    finally:
        _unmount(path)


def free_bytes(path: Path) -> int:
    """Bytes an ordinary write may still use on the filesystem holding ``path``."""
    return shutil.disk_usage(path).free


def fill(path: Path, name: str = ".filler", leave: int = 0) -> Path:
    """Fill the filesystem holding the folder ``path`` until a write fails with ENOSPC,
    then give ``leave`` bytes back (room for a small file, not a large one).

    Returns the filler file; delete it to give the space back.
    """
    filler = path / name
    block = b"\0" * 4096
    with filler.open("ab", buffering=0) as out:
        for size in (len(block), 512, 1):
            chunk = block[:size]
            while True:
                try:
                    out.write(chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
    if leave:
        os.truncate(filler, max(filler.stat().st_size - leave, 0))
    return filler


@contextmanager
def full_filesystem(path: Path, size: str = "1m", keep: tuple[Path, ...] = ()) -> Iterator[Path]:
    """A small tmpfs at ``path`` holding copies of ``keep`` files, then filled to the last byte."""
    with small_filesystem(path, size) as disk:
        for source in keep:
            shutil.copyfile(source, disk / source.name)
        fill(disk)
        yield disk


@contextmanager
def read_only_copy(path: Path, files: tuple[Path, ...] = ()) -> Iterator[Path]:
    """A read-only mount at ``path`` holding copies of ``files`` (writes fail with EROFS)."""
    with small_filesystem(path, "8m") as disk:
        for source in files:
            shutil.copyfile(source, disk / source.name)
        done = _run("mount", "-o", "remount,ro", str(disk))
        if done.returncode != 0:
            pytest.skip(f"remount read-only refused: {done.stderr.strip()}")
        yield disk


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (recursively) by relative name, with its bytes, to compare after."""
    return {
        str(item.relative_to(folder)): item.read_bytes()
        for item in sorted(folder.rglob("*"))
        if item.is_file()
    }


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, empty, unmounted after the test."""
    with small_filesystem(tmp_path / "small-disk") as disk:
        yield disk


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs already full (call ``fill`` again after putting files in)."""
    with full_filesystem(tmp_path / "full-disk") as disk:
        yield disk


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty read-only mount."""
    with read_only_copy(tmp_path / "read-only") as disk:
        yield disk
