"""Shared fixtures: a fresh workbook per test, offscreen Qt, a private data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DOM Desk's data folder (backups, demo, recent files) kept inside the test's folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DOM_DESK_HOME", str(home))
    return home


@pytest.fixture
def workbook(tmp_path: Path) -> Iterator:
    """An empty region workbook (North West, 2009-10) in a fresh file."""
    from dom_desk.domain.region import create_region
    from dom_desk.storage.workbook import create_workbook

    wb = create_workbook(tmp_path / "region.domdesk")
    with wb.session() as session:
        create_region(session, "North West", "2009-10")
    yield wb
    wb.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo region built once per run; tests copy it rather than change it."""
    from dom_desk.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "demo.domdesk"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator:
    """A private copy of the demo workbook, open."""
    import shutil

    from dom_desk.storage.workbook import open_workbook

    copy = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    wb = open_workbook(copy)
    yield wb
    wb.close()
