"""Where a typed cell came from, and getting the keyboard back to it when it is refused."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from dom_desk.ui.grid.roles import Index


def two_lines(title: str) -> str:
    """``Notice (months)`` -> ``Notice\\n(months)``: split at the most even word break."""
    words = title.split(" ")
    if len(words) < 2 or len(title) <= 10:
        return title
    best = min(
        range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:])))
    )
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _proxies(
    view: QAbstractItemView, model: QAbstractItemModel
) -> list[QAbstractProxyModel] | None:
    """The proxies between ``view`` and ``model``, outermost first; None if the view does
    not show the model."""
    proxies = []
    shown = view.model()
    while isinstance(shown, QAbstractProxyModel) and shown is not model:
        proxies.append(shown)
        shown = shown.sourceModel()
    return proxies if shown is model else None


def editing_view(model: QAbstractItemModel) -> QAbstractItemView | None:
    """The item view whose cell editor is handing ``model`` a value, if any.

    A model is not told which view edits it; the editor is found by focus (Enter) or,
    when the user left the cell by clicking elsewhere, among the views of the model's
    owner that are still editing.
    """
    views: list[QAbstractItemView] = []
    widget = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, QAbstractItemView):
        widget = widget.parentWidget()
    if widget is not None:
        views.append(widget)
    owner = model.parent()
    if isinstance(owner, QWidget):
        views.extend(owner.findChildren(QAbstractItemView))
    return next(
        (
            v
            for v in views
            if v.state() == QAbstractItemView.State.EditingState and _proxies(v, model) is not None
        ),
        None,
    )


def _view_index(view: QAbstractItemView, model: QAbstractItemModel, index: Index) -> QModelIndex:
    """``model``'s index as ``view`` shows it (through any proxies in between)."""
    place = model.index(index.row(), index.column())
    for proxy in reversed(_proxies(view, model) or []):
        place = proxy.mapFromSource(place)
    return place


def return_to_cell(view: QAbstractItemView | None, model: QAbstractItemModel, index: Index) -> None:
    """After a refused cell: the keyboard goes back to that cell once its editor has
    closed, not to whatever widget Qt picks when the message box goes (such as the
    window's year chooser, where the next arrow key would change the year)."""
    if view is None:
        return
    target = QPersistentModelIndex(_view_index(view, model, index))

    def back() -> None:
        if target.isValid():
            view.setCurrentIndex(QModelIndex(target))
            view.scrollTo(QModelIndex(target))
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    # Queued: the view's closeEditor, which follows this commit, moves the focus itself.
    QTimer.singleShot(0, view, back)
