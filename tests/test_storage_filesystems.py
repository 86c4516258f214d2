"""The real test filesystems behave as the data-safety tests rely on.

A file's (file_only): the test filesystems the file's tests mount.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from filesystems import fill, full_filesystem, read_only_copy

pytestmark = pytest.mark.file_only


def test_a_full_filesystem_refuses_a_write_with_enospc(tmp_path: Path) -> None:
    keep = tmp_path / "kept.txt"
    keep.write_text("kept")
    with full_filesystem(tmp_path / "disk", keep=(keep,)) as disk:
        assert (disk / "kept.txt").read_text() == "kept"
        with pytest.raises(OSError) as caught:
            (disk / "more").write_bytes(b"x" * 8192)
        assert caught.value.errno == errno.ENOSPC
        fill(disk, ".filler-2")  # filling again is harmless
    assert not (tmp_path / "disk" / "kept.txt").exists()  # unmounted afterwards


def test_a_read_only_copy_refuses_a_write_with_erofs(tmp_path: Path) -> None:
    source = tmp_path / "file.txt"
    source.write_text("original")
    with read_only_copy(tmp_path / "ro", files=(source,)) as place:
        assert (place / "file.txt").read_text() == "original"
        with pytest.raises(OSError) as caught:
            (place / "new").write_text("x")
        assert caught.value.errno == errno.EROFS
