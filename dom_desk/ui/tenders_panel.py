"""The selected competition's bids and evaluation (issue 15 item 4): the criteria with
their weights (and their total, said in words when it is not 100%), the score grid of
bidders by criteria with each bid's price, weighted total and rank, and the award that
creates the new contract.

Everything is read from and written through ``domain.tenders``: a quality score typed in
the grid is ``set_score`` (a refused value is explained with the domain's sentence and
nothing is stored), a weight is ``set_weight``, the award is ``award`` after a
confirmation that says what it will do. Scores, weights, bid prices and a bidder's
status go through the window's undo stack (Edit ▸ Undo); a bidder or criterion added
by mistake is removed after a confirmation. The award cannot be undone: once made, the
bids and scores are closed and the panel says to whom, when, and which contract it made.
"""

from __future__ import annotations

import contextlib
import textwrap
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import tenders
from dom_desk.domain.kinds import BidderStatus, CriterionKind
from dom_desk.domain.money import format_pounds
from dom_desk.domain.periods import format_date
from dom_desk.domain.tenders import BidderResult, CriterionInfo, Evaluation
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.tenders_dialogs import (
    AwardDialog,
    AwardInput,
    BidderDialog,
    BidDialog,
    CriterionDialog,
    CriterionInput,
    lines_text,
)
from dom_desk.ui.undo import push

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _number(value: Decimal) -> str:
    """A score as typed (8, 7.5), without trailing noughts."""
    text = format(value.normalize(), "f")
    return text


def weights_sentence(total: int, count: int) -> str:
    if count == 0:
        return "No criteria yet: add quality and price criteria whose weights add to 100%."
    if total == tenders.FULL_WEIGHT:
        return f"Weights total 100% over {count} criteria."
    short = tenders.FULL_WEIGHT - total
    return (
        f"Weights total {total}%, not 100%: {short}% still to give before there is a "
        "result or an award."
    )


def heading_text(criterion: CriterionInfo, width: int = 22) -> str:
    """A criterion's column heading: its name over at most three lines, then its weight."""
    lines = textwrap.wrap(criterion.name, width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width, placeholder="…")]
    return "\n".join(lines) + f" ({criterion.weight}%)"


# -- criteria -------------------------------------------------------------------------------

NAME, KIND, WEIGHT, HIGHEST = range(4)


class CriteriaModel(QAbstractTableModel):
    HEADERS = ("Criterion", "Kind", "Weight", "Out of")

    def __init__(self, panel: TendersPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.criteria: list[CriterionInfo] = []

    def set_criteria(self, criteria: list[CriterionInfo]) -> None:
        self.beginResetModel()
        self.criteria = criteria
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.criteria)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == WEIGHT and self.panel.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.criteria):
            return None
        criterion = self.criteria[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return criterion.name
            if column == KIND:
                return criterion.kind.label
            if column == WEIGHT:
                return (
                    f"{criterion.weight}%"
                    if role == Qt.ItemDataRole.DisplayRole
                    else str(criterion.weight)
                )
            if criterion.kind is CriterionKind.PRICE:
                return "bids" if role == Qt.ItemDataRole.DisplayRole else ""
            return str(criterion.max_score)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (WEIGHT, HIGHEST):
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == WEIGHT:
                return "Per cent of the total; the weights must add to 100. F2 or typing edits."
            if column == HIGHEST and criterion.kind is CriterionKind.PRICE:
                return "Price is scored from the bids: lowest ÷ the bid's price × the weight."
            if column == HIGHEST:
                return f"Scored 0 to {criterion.max_score}"
            return criterion.name
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != WEIGHT:
            return False
        return self.panel.set_weight(self.criteria[index.row()].id, str(value))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None


# -- the score grid -------------------------------------------------------------------------

BIDDER, STATUS, RANK, TOTAL, PRICE = range(5)
#: The first criterion's column: the answer (rank, total, price) stays in view on the left.
FIRST_CRITERION = 5


class ScoresModel(QAbstractTableModel):
    """Bidders (best first) by: name, status, rank, weighted total, price, then one column
    per criterion (the score typed with its weighted points in brackets; price points
    worked out from the bids)."""

    def __init__(self, panel: TendersPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.criteria: list[CriterionInfo] = []
        self.bidders: list[BidderResult] = []

    def set_result(self, result: Evaluation | None) -> None:
        self.beginResetModel()
        self.criteria = list(result.criteria) if result else []
        self.bidders = list(result.bidders) if result else []
        self.endResetModel()

    price_column, total_column, rank_column = PRICE, TOTAL, RANK

    def criterion_at(self, column: int) -> CriterionInfo | None:
        at = column - FIRST_CRITERION
        return self.criteria[at] if 0 <= at < len(self.criteria) else None

    def column_of(self, criterion_id: int) -> int:
        for at, criterion in enumerate(self.criteria):
            if criterion.id == criterion_id:
                return at + FIRST_CRITERION
        raise KeyError(criterion_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.bidders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_CRITERION + len(self.criteria)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        criterion = self.criterion_at(index.column())
        if (
            criterion is not None
            and criterion.kind is CriterionKind.QUALITY
            and self.panel.editable
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def cell_text(self, bidder: BidderResult, column: int) -> str:
        if column == BIDDER:
            return bidder.name
        if column == STATUS:
            return bidder.status.label
        if column == self.price_column:
            return tenders.price_text(bidder.price)
        if column == self.total_column:
            return "" if bidder.total is None else f"{bidder.total:.2f}"
        if column == self.rank_column:
            return bidder.rank_text
        criterion = self.criterion_at(column)
        assert criterion is not None
        points = bidder.points.get(criterion.id)
        shown = "" if points is None else f"{points:.2f}"
        if criterion.kind is CriterionKind.PRICE:
            return shown
        score = bidder.scores.get(criterion.id)
        if score is None:
            return ""
        return f"{_number(score)}  ({shown})" if shown else _number(score)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.bidders):
            return None
        bidder = self.bidders[index.row()]
        column = index.column()
        criterion = self.criterion_at(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(bidder, column)
        if role == Qt.ItemDataRole.EditRole:
            if criterion is None:
                return self.cell_text(bidder, column)
            score = bidder.scores.get(criterion.id)
            return "" if score is None else _number(score)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > STATUS:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and bidder.status is not BidderStatus.BIDDING:
            return self.panel.palette().placeholderText()
        if role == Qt.ItemDataRole.FontRole and column == self.rank_column and bidder.rank == 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(bidder, column, criterion)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self.cell_text(bidder, column) or "empty"
            heading = self.headerData(column, Qt.Orientation.Horizontal)
            return f"{bidder.name}, {heading}: {text}"
        return None

    def _tooltip(self, bidder: BidderResult, column: int, criterion: CriterionInfo | None) -> Any:
        if criterion is not None and criterion.kind is CriterionKind.PRICE:
            return (
                f"Price is scored from the bids: the lowest price earns the full "
                f"{criterion.weight}, another lowest ÷ its price × {criterion.weight}."
            )
        if criterion is not None:
            return (
                f"Score 0 to {criterion.max_score}; its points are score ÷ "
                f"{criterion.max_score} × {criterion.weight} (in brackets)."
            )
        if column == self.total_column and bidder.total is None:
            if bidder.status is not BidderStatus.BIDDING:
                return f"{bidder.status.label}: not ranked."
            return "No total until the weights add to 100% and every score is in."
        if column == self.price_column:
            return "The bid's annual price: volume × unit price over its lines (Bid Prices…)."
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        criterion = self.criterion_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == BIDDER:
                return self.tr("Bidder")
            if section == STATUS:
                return self.tr("Status")
            if section == self.price_column:
                return self.tr("Price a year")
            if section == self.total_column:
                return self.tr("Total of 100")
            if section == self.rank_column:
                return self.tr("Rank")
            assert criterion is not None
            return heading_text(criterion)
        if role == Qt.ItemDataRole.ToolTipRole and criterion is not None:
            if criterion.kind is CriterionKind.PRICE:
                return f"{criterion.name}: price, {criterion.weight}% (worked out from the bids)"
            return (
                f"{criterion.name}: quality, {criterion.weight}%, scored 0 to {criterion.max_score}"
            )
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        criterion = self.criterion_at(index.column())
        if role != Qt.ItemDataRole.EditRole or criterion is None:
            return False
        bidder = self.bidders[index.row()]
        return self.panel.set_score(bidder.id, criterion.id, str(value))


# -- the panel ------------------------------------------------------------------------------


def _table(model: QAbstractTableModel, name: str, accessible: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setAccessibleName(accessible)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab moves on to the buttons: no keyboard trap
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class TendersPanel(QWidget):
    """Bids and evaluation of one competition (``show_competition``)."""

    #: The award was made: the competition's id (its timetable and other areas changed).
    awarded = Signal(int)
    #: Open the contract record with this id (the Contracts area).
    openContract = Signal(int)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.competition_id: int | None = None
        self.result: Evaluation | None = None

        self.criteria_model = CriteriaModel(self)
        self.criteria = _table(self.criteria_model, "tender_criteria", self.tr("Criteria"))
        self.criteria.horizontalHeader().setStretchLastSection(False)
        self.criteria.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.criteria.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.weights = QLabel()
        self.weights.setObjectName("tender_weights")
        self.weights.setWordWrap(True)
        self.weights.setAccessibleName(self.tr("Weights total"))

        self.scores_model = ScoresModel(self)
        self.scores = _table(
            self.scores_model, "tender_scores", self.tr("Bidders' scores, price, total and rank")
        )
        self.scores.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # Long criterion names are cut short in the heading (in full in its tooltip), so
        # the scores, price, total and rank of four or five criteria fit a laptop's width.
        self.scores.horizontalHeader().setMaximumSectionSize(240)
        self.scores.horizontalHeader().setStretchLastSection(False)
        self.scores.selectionModel().currentChanged.connect(lambda *_a: self._used(self.scores))
        self.criteria.selectionModel().currentChanged.connect(lambda *_a: self._used(self.criteria))
        self._last_table: QTableView = self.scores
        # The table last used, by keyboard or mouse, decides what Remove… removes.
        QApplication.instance().focusChanged.connect(self._focus_changed)
        delete = QAction(self.tr("Empty the score"), self.scores)
        delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_key)
        self.scores.addAction(delete)

        self.state = QLabel()
        self.state.setObjectName("tender_state")
        self.state.setAccessibleName(self.tr("Result of the competition"))
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.state.setOpenExternalLinks(False)
        self.state.linkActivated.connect(lambda _link: self.open_contract())

        self.add_bidder_button = QPushButton(self.tr("Add B&idder…"))
        self.add_bidder_button.clicked.connect(self.ask_bidder)
        self.add_criterion_button = QPushButton(self.tr("Add &Criterion…"))
        self.add_criterion_button.clicked.connect(self.ask_criterion)
        self.bid_button = QPushButton(self.tr("Bid &Prices…"))
        self.bid_button.setToolTip(self.tr("The selected bidder's services, volumes and prices"))
        self.bid_button.clicked.connect(self.ask_bid)
        self.status_button = QPushButton(self.tr("Bidder Stat&us…"))
        self.status_button.setToolTip(self.tr("Mark the selected bidder withdrawn or excluded"))
        self.status_button.clicked.connect(self.ask_status)
        self.remove_button = QPushButton(self.tr("&Remove…"))
        self.remove_button.setToolTip(
            self.tr(
                "Remove the selected bidder or, from the criteria table, the selected "
                "criterion (before the award). Delete empties a score."
            )
        )
        self.remove_button.clicked.connect(self.ask_remove)
        self.award_button = QPushButton(self.tr("&Award…"))
        self.award_button.setObjectName("tender_award")
        self.award_button.clicked.connect(self.ask_award)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Evaluation criteria")))
        left_layout.addWidget(self.criteria, 1)
        left_layout.addWidget(self.weights)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(
            QLabel(self.tr("Bidders by criteria: type a quality score; price is worked out"))
        )
        right_layout.addWidget(self.scores, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("tenders_splitter")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(left)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 7)

        buttons = QHBoxLayout()
        for button in (
            self.add_bidder_button,
            self.add_criterion_button,
            self.bid_button,
            self.status_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.award_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.split, 1)
        layout.addLayout(buttons)
        self.show_competition(None)

    # -- reading ------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return (
            not self.workspace.read_only and self.result is not None and self.result.award is None
        )

    def show_competition(self, competition_id: int | None) -> None:
        self.competition_id = competition_id
        self.refresh()

    def refresh(self) -> None:
        """Reads the evaluation again, keeping the selected cell."""
        keep = self.scores.currentIndex()
        bidder_id = self.selected_bidder().id if self.selected_bidder() else None
        result = None
        if self.competition_id is not None:
            try:
                result = tenders.evaluation(self.workspace.wb, self.competition_id)
            except DomDeskError as exc:
                self.state.setText(str(exc))
        self.result = result
        self.criteria_model.set_criteria(list(result.criteria) if result else [])
        self.scores_model.set_result(result)
        self.weights.setText(
            weights_sentence(result.weights_total, len(result.criteria)) if result else ""
        )
        short = result is not None and result.weights_total != tenders.FULL_WEIGHT
        font = self.weights.font()
        font.setBold(short)  # said in words too: not by emphasis alone
        self.weights.setFont(font)
        self._show_state()
        if result and result.bidders:
            row = next(
                (at for at, b in enumerate(result.bidders) if b.id == bidder_id),
                0,
            )
            column = keep.column() if keep.isValid() and bidder_id is not None else BIDDER
            column = min(column, self.scores_model.columnCount() - 1)
            self.scores.setCurrentIndex(self.scores_model.index(row, column))
        self._enable()

    def _show_state(self) -> None:
        result = self.result
        if result is None:
            if self.competition_id is None:
                self.state.setText(self.tr("Choose a competition to see its bids."))
            return
        award = result.award
        if award is not None:
            contract = ", ".join(x for x in (award.agreement_reference, award.agreement_title) if x)
            text = self.tr("Awarded to {0} on {1}: contract {2}").format(
                award.bidder, format_date(award.decided), contract
            )
            if award.agreement_id is not None:
                text = f"<b>{_html(text)}</b> (<a href='contract'>{self.tr('open')}</a>)" + (
                    f"<br>{_html(self.tr('Reason: {0}').format(award.reason))}"
                    if award.reason
                    else ""
                )
            self.state.setText(text)
            return
        if not result.bidders and not result.criteria:
            self.state.setText(
                self.tr(
                    "{0}: no bidders or criteria yet. Add the criteria (weights adding to "
                    "100%) and the bidders; each bid starts from the current agreement's "
                    "services and volumes."
                ).format(result.subject)
            )
            return
        if result.problems:
            self.state.setText(self.tr("No result yet: {0}.").format("; ".join(result.problems)))
            return
        leader = result.leader
        if leader is not None:
            self.state.setText(
                self.tr("{0} ranks first with {1} of 100 ({2} a year).").format(
                    leader.name, f"{leader.total:.2f}", tenders.price_text(leader.price)
                )
            )
        else:
            tied = [b.name for b in result.bidders if b.rank == 1]
            self.state.setText(
                self.tr("{0} tie for first: an award to either needs a reason.").format(
                    " and ".join(tied)
                )
            )

    def selected_bidder(self) -> BidderResult | None:
        index = self.scores.currentIndex()
        bidders = self.scores_model.bidders
        if not index.isValid() or not 0 <= index.row() < len(bidders):
            return None
        return bidders[index.row()]

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        for table in (self.criteria, self.scores):
            if now is not None and (now is table or table.isAncestorOf(now)):
                self._last_table = table

    def _used(self, table: QTableView) -> None:
        self._last_table = table
        self._enable()

    def _enable(self) -> None:
        editable = self.editable
        bidder = self.selected_bidder()
        open_competition = (
            not self.workspace.read_only and self.result is not None and self.result.award is None
        )
        self.add_bidder_button.setEnabled(open_competition)
        self.add_criterion_button.setEnabled(open_competition)
        self.bid_button.setEnabled(bidder is not None)
        self.status_button.setEnabled(editable and bidder is not None)
        self.remove_button.setEnabled(
            editable and (bidder is not None or bool(self.result.criteria))
        )
        awardable = editable and bidder is not None and bidder.status is BidderStatus.BIDDING
        self.award_button.setEnabled(awardable)
        if bidder is not None and self.result is not None and self.result.award is None:
            # An ampersand in a name is shown, not taken for a mnemonic.
            name = bidder.name.replace("&", "&&")
            self.award_button.setText(self.tr("&Award to {0}…").format(name))
        else:
            self.award_button.setText(self.tr("&Award…"))

    def select_bidder(self, bidder_id: int) -> bool:
        for row, bidder in enumerate(self.scores_model.bidders):
            if bidder.id == bidder_id:
                self.scores.setCurrentIndex(self.scores_model.index(row, BIDDER))
                return True
        return False

    # -- writing ------------------------------------------------------------------------

    def _write(self, job: Any) -> Any:
        """Runs one domain write; a refusal is explained and None returned."""
        try:
            return job()
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None
        finally:
            self.refresh()

    def _undoable(self, text: str, do: Any, undo: Any) -> bool:
        """One edit through the window's undo stack (Edit ▸ Undo puts it back); a
        refusal is explained and nothing is stored."""
        command = push(
            self.workspace.undo_stack,
            text,
            lambda _first: do(),
            lambda _r: undo(),
            self.refresh,
            self,
        )
        return not command.failed

    def _names(self, bidder_id: int, criterion_id: int | None = None) -> tuple[str, str]:
        result = self.result
        bidder = next((b.name for b in result.bidders if b.id == bidder_id), "") if result else ""
        criterion = (
            next((c.name for c in result.criteria if c.id == criterion_id), "") if result else ""
        )
        return bidder, criterion

    def set_score(self, bidder_id: int, criterion_id: int, text: str) -> bool:
        """A quality score typed in the grid; an empty cell takes the score out."""
        wb = self.workspace.wb
        text = text.strip()
        bidders = self.result.bidders if self.result else ()
        old = next((b.scores.get(criterion_id) for b in bidders if b.id == bidder_id), None)
        if not text and old is None:
            return True

        def put(value: Decimal | str | None) -> None:
            if value is None or value == "":
                tenders.clear_score(wb, bidder_id, criterion_id)
            else:
                tenders.set_score(wb, bidder_id, criterion_id, value)

        bidder, criterion = self._names(bidder_id, criterion_id)
        words = self.tr("score of {0} for {1}").format(bidder, criterion)
        return self._undoable(words, lambda: put(text), lambda: put(old))

    def clear_score(self, bidder_id: int, criterion_id: int) -> bool:
        return self.set_score(bidder_id, criterion_id, "")

    def set_weight(self, criterion_id: int, text: str) -> bool:
        raw = text.strip().rstrip("%").strip()
        try:
            weight = int(raw)
        except ValueError:
            messages.error(
                self, self.tr("Weight: '{0}' is not a whole number of per cent").format(text)
            )
            return False
        wb = self.workspace.wb
        criteria = self.result.criteria if self.result else ()
        old = next((c.weight for c in criteria if c.id == criterion_id), weight)
        if old == weight:
            return True
        _bidder, name = self._names(0, criterion_id)
        return self._undoable(
            self.tr("weight of {0}").format(name),
            lambda: tenders.set_weight(wb, criterion_id, weight),
            lambda: tenders.set_weight(wb, criterion_id, old),
        )

    def ask_bidder(self) -> None:
        if self.result is None:
            return
        dialog = BidderDialog(self.result.subject, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_input:
            self.add_bidder(dialog.result_input)

    def add_bidder(self, name: str) -> int | None:
        if self.competition_id is None:
            return None
        competition_id = self.competition_id
        bidder_id = self._write(lambda: tenders.add_bidder(self.workspace.wb, competition_id, name))
        if bidder_id is not None:
            self.select_bidder(bidder_id)
        return bidder_id

    def ask_criterion(self) -> None:
        if self.result is None:
            return
        has_price = any(c.kind is CriterionKind.PRICE for c in self.result.criteria)
        dialog = CriterionDialog(self.result.subject, self.result.weights_total, has_price, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_input:
            self.add_criterion(dialog.result_input)

    def add_criterion(self, spec: CriterionInput) -> int | None:
        if self.competition_id is None:
            return None
        competition_id = self.competition_id
        return self._write(
            lambda: tenders.add_criterion(
                self.workspace.wb, competition_id, spec.name, spec.weight, spec.kind, spec.max_score
            )
        )

    def ask_bid(self) -> None:
        bidder = self.selected_bidder()
        if bidder is None:
            return
        try:
            bid = tenders.bid(self.workspace.wb, bidder.id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        dialog = BidDialog(bid, self)
        if self.workspace.read_only:
            dialog.model.editable = False
        if (
            dialog.exec() == QDialog.DialogCode.Accepted
            and dialog.result_input is not None
            and not bid.closed
            and not self.workspace.read_only
        ):
            self.save_bid(bidder.id, dialog.result_input)

    def save_bid(self, bidder_id: int, lines: list[tuple[int, int, int]]) -> bool:
        wb = self.workspace.wb
        try:
            before = tenders.bid(wb, bidder_id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        old = [(x.service_id, x.volume, x.unit_price) for x in before.lines]
        if sorted(old) == sorted(lines):
            return True
        return self._undoable(
            self.tr("bid prices of {0}").format(before.bidder),
            lambda: tenders.set_bid_lines(wb, bidder_id, lines),
            lambda: tenders.set_bid_lines(wb, bidder_id, old, replace=True),
        )

    def ask_status(self) -> None:
        bidder = self.selected_bidder()
        if bidder is None:
            return
        statuses = list(BidderStatus)
        choice = messages.choose(
            self,
            self.tr("{0} is {1}. Mark it:").format(bidder.name, bidder.status.label.lower()),
            [s.label for s in statuses],
            self.tr("Bidder status"),
        )
        if choice is not None:
            self.set_status(bidder.id, statuses[choice])

    def set_status(self, bidder_id: int, status: BidderStatus) -> bool:
        wb = self.workspace.wb
        bidders = self.result.bidders if self.result else ()
        old = next((b.status for b in bidders if b.id == bidder_id), status)
        if old is status:
            return True
        name, _criterion = self._names(bidder_id)
        return self._undoable(
            self.tr("mark {0} {1}").format(name, status.label.lower()),
            lambda: tenders.set_bidder_status(wb, bidder_id, status),
            lambda: tenders.set_bidder_status(wb, bidder_id, old),
        )

    # -- removing what was added by mistake (before the award) --------------------------

    def ask_remove(self) -> None:
        """Removes what is selected in the table last used: a criterion, or a bidder (a
        score cell is emptied instead, by Delete)."""
        if self._last_table is self.criteria:
            index = self.criteria.currentIndex()
            if index.isValid() and index.row() < len(self.criteria_model.criteria):
                self.remove_criterion(self.criteria_model.criteria[index.row()].id)
            return
        bidder = self.selected_bidder()
        if bidder is not None:
            self.remove_bidder(bidder.id)

    def remove_bidder(self, bidder_id: int) -> bool:
        name, _criterion = self._names(bidder_id)
        if not messages.confirm(
            self,
            self.tr(
                "Remove the bidder {0}, with its bid and scores? This cannot be undone."
            ).format(name),
            self.tr("Remove bidder"),
        ):
            return False
        done = self._write(lambda: tenders.remove_bidder(self.workspace.wb, bidder_id))
        return done is not None

    def remove_criterion(self, criterion_id: int) -> bool:
        _bidder, name = self._names(0, criterion_id)
        if not messages.confirm(
            self,
            self.tr(
                "Remove the criterion {0}, with every bidder's score for it? This cannot be undone."
            ).format(name),
            self.tr("Remove criterion"),
        ):
            return False
        done = self._write(lambda: tenders.remove_criterion(self.workspace.wb, criterion_id))
        return done is not None

    def _delete_key(self) -> None:
        """Delete on a quality score empties it; on a bidder's name removes the bidder."""
        index = self.scores.currentIndex()
        if not index.isValid() or not self.editable:
            return
        criterion = self.scores_model.criterion_at(index.column())
        bidder = self.scores_model.bidders[index.row()]
        if criterion is not None and criterion.kind is CriterionKind.QUALITY:
            self.clear_score(bidder.id, criterion.id)
        elif index.column() == BIDDER:
            self.remove_bidder(bidder.id)

    def ask_award(self) -> None:
        bidder = self.selected_bidder()
        if bidder is None or self.competition_id is None:
            return
        try:
            plan = tenders.award_plan(self.workspace.wb, self.competition_id, bidder.id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        if self.result is not None and self.result.weights_total != tenders.FULL_WEIGHT:
            messages.error(
                self, weights_sentence(self.result.weights_total, len(self.result.criteria))
            )
            return
        dialog = AwardDialog(plan, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_input is not None:
            self.award(bidder.id, dialog.result_input)

    def award(self, bidder_id: int, spec: AwardInput) -> tenders.AwardResult | None:
        """Confirms what the award will do, then makes it (one transaction)."""
        if self.competition_id is None:
            return None
        competition_id = self.competition_id
        wb = self.workspace.wb
        try:
            plan = tenders.award_plan(
                wb, competition_id, bidder_id, spec.decided, spec.start, spec.end
            )
            effects = tenders.award_consequences(
                wb, competition_id, spec.start, spec.end, spec.decided, spec.title
            )
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None
        title = spec.title or plan.title
        reference = f" ({spec.reference})" if spec.reference else ""
        text = "\n\n".join(
            (
                self.tr("Award {0} to {1}?").format(plan.subject, plan.bidder),
                self.tr(
                    "A contract '{0}'{1} is created with {2}: {3} a year from {4} to {5}, "
                    "with the bid's {6}."
                ).format(
                    title,
                    reference,
                    plan.bidder,
                    format_pounds(plan.price) or "£0",
                    format_date(spec.start),
                    format_date(spec.end),
                    lines_text(plan.line_count),
                )
                + (
                    " "
                    + self.tr("{0} is added to the providers ({1}, {2} sector).").format(
                        plan.bidder,
                        spec.provider_kind.label if spec.provider_kind else "",
                        spec.sector.label.lower() if spec.sector else "",
                    )
                    if plan.new_provider
                    else ""
                ),
                *effects,
                self.tr("This cannot be undone."),
            )
        )
        if not messages.confirm(self, text, self.tr("Award the contract")):
            return None
        done = self._write(
            lambda: tenders.award(
                wb,
                competition_id,
                bidder_id,
                decided=spec.decided,
                start=spec.start,
                end=spec.end,
                title=spec.title,
                reason=spec.reason,
                provider_kind=spec.provider_kind,
                sector=spec.sector,
                reference=spec.reference,
            )
        )
        if done is not None:
            self._announce(done)
            self.awarded.emit(competition_id)
        return done

    def _announce(self, done: tenders.AwardResult) -> None:
        """Every area showing the new contract, the old agreement or the milestones
        reads again when next shown."""
        with contextlib.suppress(DomDeskError):
            row = self.workspace.row("contracts", done.agreement_id)
            self.workspace.rowChanged.emit("contracts", row)

    def open_contract(self) -> None:
        award = self.result.award if self.result else None
        if award is not None and award.agreement_id is not None:
            self.openContract.emit(award.agreement_id)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
