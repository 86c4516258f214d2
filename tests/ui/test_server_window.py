"""The window on a region of the team server (issue 16 items 2, 3 and 5 in the window).

A real PostgreSQL server (tests/postgres.py): the demo is published into a fresh
database per test (tests/backends.py's templates), opened by its URL as a user would.
Another editor is a separate process (``python -c``) with its own user name, so the
audit trail says who changed what, as on a team.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.ui_helpers import shown, stored, type_into_cell

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server_url(pg_templates: Any, demo_file: Path) -> Iterator[str]:
    """A fresh copy of the demo region on the test server: its URL (no password)."""
    from tests.backends import region_url

    database = pg_templates.copy("demo", demo_file)
    try:
        yield region_url(pg_templates.server, database).replace("+psycopg", "")
    finally:
        pg_templates.drop(database)


def other_editor(url: str, script: str, user: str = "alice") -> str:
    """Runs ``script`` in another process, as another user, with ``wb`` open on ``url``
    and the domain's ``tables`` imported; returns what it printed."""
    program = "from dom_desk.domain import tables\n"
    program += "from dom_desk.storage.workbook import open_workbook\n"
    program += f"wb = open_workbook({url!r})\n"
    program += textwrap.dedent(script) + "\nwb.close()\n"
    env = {**os.environ, "USER": user, "LOGNAME": user, "LNAME": user, "USERNAME": user}
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def provider_id(wb: Any, name: str) -> int:
    from dom_desk.domain import tables

    return next(r.id for r in tables.load_rows(wb, "providers") if r.values[0] == name)


def _providers(qtbot: Any, window: Any) -> Any:
    window.show_area("providers")
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # keys go to the active window
    return window.view.pages["providers"]


def ask(qtbot: Any, watcher: Any) -> None:
    """Asks the server now (after any question already out, as on activation) and waits
    for the answer."""
    qtbot.waitUntil(lambda: not watcher.runner.busy, timeout=10000)
    assert watcher.check()
    qtbot.waitUntil(lambda: not watcher.runner.busy, timeout=10000)


def test_a_region_opened_by_url_says_it_is_shared(
    make_window: Any, answers: Any, server_url: str
) -> None:
    from dom_desk.ui import state

    window = make_window()
    assert window.open_server(server_url), answers.errors
    wb = window.workspace.wb
    assert wb.is_server
    host, database = wb.address.host, wb.address.database
    assert window.windowTitle() == f"DOM Desk — North West — server {host}/{database}"
    assert window.file_label.text() == f"On server {host}/{database}"
    # Open Recent lists it by its URL, beside files; its figures can be checked, but
    # there is no file to back up here (dom-desk backups --db URL).
    url = f"postgresql://dom_desk_test@{host}/{database}?region=north-west"
    assert state.recent_locations()[0] == url
    assert state.last_location() == state.recent_locations()[0]
    assert window.check_action.isEnabled()
    assert not window.backups_action.isEnabled()
    assert window.take_offline_action.isEnabled()
    assert not window.bring_online_action.isEnabled()
    assert window.watcher is not None  # others' changes are watched for
    window._fill_recent_menu()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts[0] == f"&1 {url}"


def test_open_recent_reopens_a_server_region_beside_a_file(
    make_window: Any, answers: Any, server_url: str, demo_file: Path, tmp_path: Path
) -> None:
    from dom_desk.ui import state

    file = tmp_path / "demo.domdesk"
    file.write_bytes(demo_file.read_bytes())
    window = make_window()
    assert window.open_file(file), answers.errors
    assert window.open_server(server_url), answers.errors
    recent = state.recent_locations()
    assert isinstance(recent[0], str) and recent[1] == file.resolve()
    assert state.recent_files() == [file.resolve()]
    window.close_file()
    window.start.refresh()
    assert window.start.recent.item(0).text() == recent[0]
    window.start.recentRequested.emit(recent[0])  # as a double click on it does
    assert window.workspace is not None and window.workspace.wb.is_server
    window.close_file()
    assert window.reopen_last() is False  # closing forgets the last; recent stays
    assert window.open_location(recent[1])
    assert not window.workspace.wb.is_server


def test_an_edit_is_saved_on_the_server_and_another_editors_change_comes_in(
    qtbot: Any, make_window: Any, answers: Any, server_url: str
) -> None:
    window = make_window()
    assert window.open_server(server_url), answers.errors
    page = _providers(qtbot, window)
    wb = window.workspace.wb
    garth, haverigg = provider_id(wb, "HMP Garth"), provider_id(wb, "HMP Haverigg")
    type_into_cell(qtbot, page, garth, "capacity", "850")
    assert not answers.errors
    # On the server: read back by another process, not this window's connection.
    out = other_editor(
        server_url, f"print(tables.load_row(wb, 'providers', {garth}).values)", user="bob"
    )
    assert "850" in out

    # Nothing new from others yet: the window says nothing and keeps its page.
    watcher = window.watcher
    ask(qtbot, watcher)
    assert "Updated" not in window.statusBar().currentMessage()

    other_editor(server_url, f"tables.update_field(wb, 'providers', {haverigg}, 'capacity', 777)")
    with qtbot.waitSignal(watcher.refreshed, timeout=10000):
        ask(qtbot, watcher)
    assert shown(page, haverigg, "capacity") == "777"
    assert shown(page, garth, "capacity") == "850"
    message = window.statusBar().currentMessage()
    assert message.startswith("Updated with changes saved by alice on ")
    assert " at " in message


def test_news_waits_while_a_cell_is_being_typed_in(
    qtbot: Any, make_window: Any, answers: Any, server_url: str
) -> None:
    from PySide6.QtCore import Qt

    window = make_window()
    assert window.open_server(server_url), answers.errors
    page = _providers(qtbot, window)
    haverigg = provider_id(window.workspace.wb, "HMP Haverigg")
    other_editor(server_url, f"tables.update_field(wb, 'providers', {haverigg}, 'capacity', 612)")
    index = page.proxy.mapFromSource(
        page.model.index(page.model.position_of(haverigg), 0)
    )  # the name: typing in it must not be thrown away by a reload
    page.table.setFocus()
    page.table.setCurrentIndex(index)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    watcher = window.watcher
    refreshed: list[Any] = []
    watcher.refreshed.connect(refreshed.append)
    ask(qtbot, watcher)
    assert refreshed == [] and shown(page, haverigg, "capacity") != "612"
    qtbot.keyClick(page.table.indexWidget(index), Qt.Key.Key_Escape)
    with qtbot.waitSignal(watcher.refreshed, timeout=10000):
        ask(qtbot, watcher)
    assert shown(page, haverigg, "capacity") == "612"


def test_a_stale_edit_is_refused_naming_who_changed_it(
    qtbot: Any, make_window: Any, answers: Any, server_url: str
) -> None:
    window = make_window()
    assert window.open_server(server_url), answers.errors
    window.watcher.stop()  # the window has not seen alice's change
    page = _providers(qtbot, window)
    wb = window.workspace.wb
    garth = provider_id(wb, "HMP Garth")
    other_editor(server_url, f"tables.update_field(wb, 'providers', {garth}, 'capacity', 901)")
    type_into_cell(qtbot, page, garth, "capacity", "850")
    assert len(answers.errors) == 1
    error = answers.errors[0]
    assert "HMP Garth" in error and "Capacity (places)" in error
    assert "changed elsewhere by alice on " in error
    assert stored(wb, "providers", garth, "capacity") == 901  # theirs is kept


def test_a_password_is_asked_for_used_once_and_never_kept(
    make_window: Any, answers: Any, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test server trusts its user, so the server's refusal is stood in for: the
    first login is refused wanting a password, the second gets the one typed."""
    from dom_desk import paths
    from dom_desk.storage import server_workbook
    from dom_desk.storage.server import ServerLoginError

    real = server_workbook.open_server
    passwords: list[str | None] = []

    def guarded(address: Any, read_only: bool = False) -> Any:
        passwords.append(address.url.password)
        if not address.has_password:
            raise ServerLoginError("The server 127.0.0.1 needs a password for 'dom_desk_test'.")
        return real(address, read_only=read_only)

    monkeypatch.setattr(server_workbook, "open_server", guarded)
    answers.queue("password", "s3cret-Pa55")
    window = make_window()
    assert window.open_server(server_url), answers.errors
    asked = answers.of("password")
    assert len(asked) == 1 and "needs a password for 'dom_desk_test'" in asked[0].text
    assert passwords == [None, "s3cret-Pa55"]
    window.close()
    kept = "".join(p.read_text(errors="replace") for p in paths.data_dir().rglob("*.ini"))
    assert "postgresql://" in kept and "s3cret" not in kept

    # Cancelling the prompt opens nothing and says nothing more.
    window = make_window()
    prompts = len(answers.prompts)
    assert not window.open_server(server_url)
    assert [p.kind for p in answers.prompts[prompts:]] == ["password"]
    assert window.workspace is None


def test_a_url_naming_no_region_or_an_unknown_one_is_one_sentence(
    make_window: Any, answers: Any, server_url: str
) -> None:
    window = make_window()
    assert not window.open_server(server_url.split("?")[0])
    assert not window.open_server(server_url.replace("north-west", "atlantis"))
    assert len(answers.errors) == 2
    assert "add ?region=north-west" in answers.errors[0]
    assert "There is no region 'atlantis'" in answers.errors[1]
    assert not answers.of("exception")


def test_the_open_server_dialog_builds_the_url_and_remembers_it_without_password(
    qtbot: Any, make_window: Any, answers: Any, server_url: str
) -> None:
    from dom_desk.storage.server_address import parse_address
    from dom_desk.ui import state
    from dom_desk.ui.server_open_dialog import ServerOpenDialog, compose_url

    address = parse_address(server_url)
    dialog = ServerOpenDialog()
    qtbot.addWidget(dialog)
    dialog.server.setText(f"postgresql://dom_desk_test:pw@{address.host}/{address.database}")
    dialog._split_pasted_url()
    assert dialog.server.text() == f"{address.host}/{address.database}"
    assert dialog.user.text() == "dom_desk_test"
    dialog.region.setCurrentText("North West")
    url, read_only = dialog.answer()
    assert url == server_url.replace("dom_desk_test@", "dom_desk_test@") and not read_only
    assert compose_url("hq-db:5433/domdesk", "Yorkshire and Humberside", "ann") == (
        "postgresql://ann@hq-db:5433/domdesk?region=yorkshire-and-humberside"
    )
    dialog.server.setText("")
    dialog.accept()
    assert dialog.problem.text() == "Problem: type the server's address."

    window = make_window()
    answers.queue("server_address", (url, False))
    window.open_server_action.trigger()
    assert window.workspace is not None and window.workspace.wb.is_server
    assert state.last_server_address() == url
    window.open_server_action.trigger()  # answered None: cancelled
    assert answers.of("server_address")[-1].extra["last"] == url


def _conflicts_answered(monkeypatch: Any, side: str, seen: list[Any]) -> None:
    """The conflicts dialog, when shown, records what it offers and keeps ``side`` for all
    (as the Keep All buttons do) instead of waiting for a click."""

    def run(dialog: Any) -> int:
        seen.append(
            [
                dialog.table.item(r, c).text()
                for r in range(dialog.table.rowCount())
                for c in range(dialog.table.columnCount() - 1)
            ]
        )
        assert not dialog.ok.isEnabled()  # nothing is chosen for the user
        dialog.choose_all(side)
        assert dialog.ok.isEnabled()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr("dom_desk.ui.offline_window.run_modal", run)


def _taken_offline(make_window: Any, answers: Any, server_url: str, laptop: Path) -> Any:
    """A window on the server region, then File > Take Offline into ``laptop``."""
    window = make_window()
    assert window.open_server(server_url), answers.errors
    assert window.take_offline_action.isEnabled()
    assert not window.bring_online_action.isEnabled()
    answers.queue("save_path", laptop)
    assert window.take_offline(), answers.errors
    return window


def test_take_offline_then_bring_back_online_with_a_conflict_chosen(
    qtbot: Any,
    make_window: Any,
    answers: Any,
    server_url: str,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    laptop = tmp_path / "North West offline.domdesk"
    window = _taken_offline(make_window, answers, server_url, laptop)
    # The window now works on the file: an ordinary workbook, known as an offline copy.
    assert not window.workspace.wb.is_server and window.workspace.path == laptop
    assert window.bring_online_action.isEnabled()
    assert not window.take_offline_action.isEnabled()

    page = _providers(qtbot, window)
    wb = window.workspace.wb
    garth, haverigg = provider_id(wb, "HMP Garth"), provider_id(wb, "HMP Haverigg")
    type_into_cell(qtbot, page, garth, "capacity", "850")
    type_into_cell(qtbot, page, haverigg, "capacity", "640")
    assert not answers.errors
    # Meanwhile on the server: the same capacity to another figure, and another field.
    other_editor(server_url, f"tables.update_field(wb, 'providers', {garth}, 'capacity', 901)")

    seen: list[Any] = []
    _conflicts_answered(monkeypatch, "yours", seen)
    assert window.bring_back_online(), answers.errors
    (offered,) = seen
    record, field, kind, base, yours, theirs, saved_by = offered
    assert (record, field, kind) == (
        "Provider HMP Garth",
        "Capacity (places)",
        "changed on both sides",
    )
    assert (yours, theirs) == ("850", "901") and base not in ("850", "901")
    assert saved_by.startswith("alice (")  # who saved theirs, on which machine, when
    assert answers.of("info")[-1].text.startswith("Checked in to North West")

    on_server = other_editor(
        server_url,
        f"print(tables.load_row(wb, 'providers', {garth}).values)\n"
        f"print(tables.load_row(wb, 'providers', {haverigg}).values)",
        user="bob",
    )
    garth_line, haverigg_line = on_server.splitlines()
    assert "850" in garth_line and "901" not in garth_line  # yours, as chosen
    assert "640" in haverigg_line  # changed only offline: merged
    # The window has the refreshed file open again, still an offline copy.
    assert window.workspace.path == laptop and window.is_offline_copy()
    assert stored(window.workspace.wb, "providers", garth, "capacity") == 850


def test_bring_back_online_with_no_conflicts_asks_then_merges_and_a_no_writes_nothing(
    qtbot: Any,
    make_window: Any,
    answers: Any,
    server_url: str,
    tmp_path: Path,
) -> None:
    window = _taken_offline(make_window, answers, server_url, tmp_path / "laptop.domdesk")
    page = _providers(qtbot, window)
    garth = provider_id(window.workspace.wb, "HMP Garth")
    type_into_cell(qtbot, page, garth, "capacity", "812")
    read = f"print(tables.load_row(wb, 'providers', {garth}).values)"

    answers.queue("confirm", False)
    assert not window.bring_back_online()
    assert "812" not in other_editor(server_url, read)
    assert "1 record" not in answers.of("confirm")[-1].text  # no records added
    assert "no conflicts" in answers.of("confirm")[-1].text

    answers.queue("confirm", True)
    assert window.bring_back_online(), answers.errors
    assert "812" in other_editor(server_url, read)
    # Again: the server has everything; nothing is written twice.
    answers.queue("confirm", True)
    assert window.bring_back_online(), answers.errors
    assert "no changes" in answers.of("confirm")[-1].text
