"""File ▸ Import List…: choose the kind, see the preview (errors by cell, Import only
without any), import in one step and reload the window; or save the kind's template."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook as Xlsx
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog

from dom_desk.domain.lists_import import ListKind
from dom_desk.domain.records.forms import options
from dom_desk.ui import lists_import_dialog
from dom_desk.ui.lists_import_dialog import ChooseListDialog, ListImportDialog, read_preview
from dom_desk.ui.workspace import Workspace


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Xlsx()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _chooser(qtbot, demo, kind: ListKind) -> ChooseListDialog:
    dialog = ChooseListDialog(Workspace(demo))
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    return dialog


def test_the_file_menu_offers_import_list_after_import_returns(window) -> None:
    (file_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    names = [a.objectName() for a in file_menu.actions()]
    assert names.index("import_list") == names.index("import_returns") + 1
    assert window.import_list_action.text() == "Import &List…"


def test_the_chooser_lists_all_nine_kinds(qtbot, demo) -> None:
    dialog = _chooser(qtbot, demo, ListKind.PROVIDERS)
    kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert set(kinds) == set(ListKind)


def test_a_bad_file_shows_its_errors_by_cell_and_offers_no_import(qtbot, demo, tmp_path) -> None:
    rows = [["Service", "Target unit cost (£k)"], ["Hostel place", 12], ["Hostel bed", "lots"]]
    preview = read_preview(Workspace(demo), _xlsx(tmp_path / "s.xlsx", rows), ListKind.SERVICES)
    dialog = ListImportDialog(preview)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    model = dialog.table.model()
    assert model.index(1, 1).data() == "Error"
    assert model.index(1, 4).data() == "Error: cell B3: 'lots' is not an amount of money"
    assert model.index(0, 3).data() == "£12,000"  # the details show money the UK way


def test_choosing_a_file_previews_imports_and_says_what_was_added(
    qtbot, demo, tmp_path, answers, monkeypatch
) -> None:
    path = _xlsx(
        tmp_path / "providers.xlsx",
        [["Name", "Kind", "Sector"], ["HMP Cardiff", "Public prison", "Public"]],
    )
    shown: list[ListImportDialog] = []

    def accept(dialog: ListImportDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ListImportDialog, "exec", accept)
    dialog = _chooser(qtbot, demo, ListKind.PROVIDERS)
    answers.queue("open_path", path)
    assert dialog.choose_file()
    (preview,) = shown
    assert preview.import_button.isEnabled()
    assert preview.table.model().index(0, 2).data() == "HMP Cardiff"
    assert answers.of("info")[-1].text == "providers.xlsx: 1 providers added, 0 updated."
    names = [name for _id, name in options(demo, "providers")]
    assert "HMP Cardiff" in names


def test_save_template_writes_the_chosen_kind(qtbot, demo, tmp_path, answers) -> None:
    dialog = _chooser(qtbot, demo, ListKind.MEASURES)
    answers.queue("save_path", tmp_path / "measures")
    written = dialog.save_template()
    assert written == tmp_path / "measures.xlsx"
    header = [c.value for c in load_workbook(written).worksheets[0][1]]
    assert header[:3] == ["Code *", "Part", "Wording *"]


def test_the_menu_reloads_the_window_after_an_import(
    window, tmp_path, answers, monkeypatch
) -> None:
    path = _xlsx(tmp_path / "services.xlsx", [["Service", "Unit"], ["Hostel place", "place"]])
    monkeypatch.setattr(ListImportDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)

    def run(dialog: ChooseListDialog) -> int:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(ListKind.SERVICES))
        answers.queue("open_path", path)
        dialog.choose_file()
        return 0

    monkeypatch.setattr("dom_desk.ui.messages.run_modal", run)
    reloaded: list[bool] = []
    monkeypatch.setattr(window, "reload", lambda: reloaded.append(True))
    assert lists_import_dialog.import_list_from_menu(window)
    assert reloaded == [True]


def test_a_file_already_imported_offers_nothing_to_import(qtbot, demo, tmp_path) -> None:
    from dom_desk.domain.lists_import import import_list

    path = _xlsx(tmp_path / "s.xlsx", [["Service", "Unit"], ["Hostel place", "place"]])
    import_list(demo, path, ListKind.SERVICES)
    dialog = ListImportDialog(read_preview(Workspace(demo), path, ListKind.SERVICES))
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert dialog.table.model().index(0, 1).data() == "Unchanged"
    assert "nothing to import" in dialog.hint.text()
