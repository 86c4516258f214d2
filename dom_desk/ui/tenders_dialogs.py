"""The dialogs of a competition's bids and evaluation: add a bidder, add a criterion,
edit a bid's priced lines, and award the contract. Each checks what was typed (a
ValidationError naming the field, shown in a message box, keeps the dialog open) and
returns a plain input for the panel to hand to the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.kinds import CriterionKind, ProviderKind, Sector
from dom_desk.domain.money import format_pounds, parse_pounds
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.domain.tenders import AwardPlan, BidView
from dom_desk.errors import ValidationError
from dom_desk.ui.form_dialog import CheckedDialog, lay_out_form

Index = QModelIndex | QPersistentModelIndex


# -- a bidder -------------------------------------------------------------------------------


class BidderDialog(CheckedDialog):
    def __init__(self, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a bidder for {0}").format(subject))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("the organisation bidding"))
        note = QLabel(
            self.tr(
                "A bidder with the name of a provider in the workbook is linked to it. "
                "Its bid starts from the services and volumes of the current agreement, "
                "with no prices yet."
            )
        )
        note.setWordWrap(True)
        lay_out_form(self, ((self.tr("&Name:"), self.name),), self._accept, note=note)

    def answer(self) -> str:
        name = " ".join(self.name.text().split())
        if not name:
            raise ValidationError(self.tr("type the bidder's name"), self.tr("Name"))
        return name


# -- a criterion ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    name: str
    kind: CriterionKind
    weight: int
    max_score: int


class CriterionDialog(CheckedDialog):
    def __init__(
        self, subject: str, weights_total: int, has_price: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an evaluation criterion to {0}").format(subject))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Quality of service, Price"))
        self.kind = QComboBox()
        for kind in CriterionKind:
            self.kind.addItem(kind.label, kind.name)
        if has_price:
            self.kind.model().item(self.kind.findData(CriterionKind.PRICE.name)).setEnabled(False)
        self.weight = QSpinBox()
        self.weight.setRange(0, 100)
        self.weight.setSuffix(" %")
        self.weight.setValue(max(0, 100 - weights_total))
        self.max_score = QSpinBox()
        self.max_score.setRange(1, 1000)
        self.max_score.setValue(10)
        left = 100 - weights_total
        note = QLabel(
            self.tr(
                "The weights so far add to {0}% ({1}% left to give). Quality is scored by "
                "the panel from 0 to the highest score; price is worked out from the bids, "
                "the lowest earning the full weight."
            ).format(weights_total, left)
            + ("" if not has_price else " " + self.tr("This competition has its price criterion."))
        )
        note.setWordWrap(True)
        rows = (
            (self.tr("&Name:"), self.name),
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Weight:"), self.weight),
            (self.tr("&Highest score:"), self.max_score),
        )
        lay_out_form(self, rows, self._accept, note=note)
        self.setMinimumWidth(440)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self, *_args: Any) -> None:
        price = CriterionKind[self.kind.currentData()] is CriterionKind.PRICE
        self.max_score.setEnabled(not price)
        if price and not self.name.text().strip():
            self.name.setText(self.tr("Price"))

    def answer(self) -> CriterionInput:
        name = " ".join(self.name.text().split())
        if not name:
            raise ValidationError(self.tr("type the criterion's name"), self.tr("Name"))
        return CriterionInput(
            name,
            CriterionKind[self.kind.currentData()],
            self.weight.value(),
            self.max_score.value(),
        )


# -- a bid's priced lines -------------------------------------------------------------------

SERVICE, VOLUME, UNIT_PRICE, VALUE = range(4)


@dataclass
class _Line:
    service_id: int
    service: str
    unit: str
    volume: str
    unit_price: str


class BidLinesModel(QAbstractTableModel):
    """The lines as typed (text), checked when the dialog is accepted."""

    HEADERS = ("Service", "Volume", "Unit price", "Annual value")

    def __init__(self, lines: list[_Line], editable: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.editable = editable

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.column() in (VOLUME, UNIT_PRICE):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def line_value(self, line: _Line) -> str:
        try:
            volume = int(line.volume.replace(",", "").strip() or "0")
            price = parse_pounds(line.unit_price or "0")
        except (ValueError, ValidationError):
            return "?"
        return format_pounds(volume * price)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == SERVICE:
                return f"{line.service} (per {line.unit})" if line.unit else line.service
            if column == VOLUME:
                return line.volume
            if column == UNIT_PRICE:
                return line.unit_price
            return self.line_value(line)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != SERVICE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == UNIT_PRICE:
            return self.tr("Pounds per unit, e.g. 22,000 or 350.50")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        line = self.lines[index.row()]
        if index.column() == VOLUME:
            line.volume = str(value).strip()
        elif index.column() == UNIT_PRICE:
            line.unit_price = str(value).strip()
        else:
            return False
        self.dataChanged.emit(index, self.index(index.row(), VALUE))
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None

    def add(self, service_id: int, name: str) -> None:
        self.beginInsertRows(QModelIndex(), len(self.lines), len(self.lines))
        self.lines.append(_Line(service_id, name, "", "0", ""))
        self.endInsertRows()


class BidDialog(CheckedDialog):
    """A bid's lines: the volume bid for and the unit price of each service, with the
    line's annual value and the bid's total worked out as they are typed."""

    def __init__(self, bid: BidView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bid = bid
        self.setWindowTitle(self.tr("Bid prices: {0} for {1}").format(bid.bidder, bid.competition))
        lines = [
            _Line(
                x.service_id,
                x.service,
                x.unit,
                f"{x.volume:,}",
                format_pounds(x.unit_price).lstrip("£") if x.unit_price else "",
            )
            for x in bid.lines
        ]
        editable = not bid.closed
        self.model = BidLinesModel(lines, editable, self)
        self.table = QTableView()
        self.table.setObjectName("bid_lines")
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Lines of the bid"))
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SERVICE, QHeaderView.ResizeMode.Stretch)
        self.total = QLabel()
        self.total.setAccessibleName(self.tr("Bid total"))
        self.model.dataChanged.connect(lambda *_a: self._show_total())
        self.model.rowsInserted.connect(lambda *_a: self._show_total())

        self.service = QComboBox()
        self.service.setAccessibleName(self.tr("Service to add"))
        self.add_button = QPushButton(self.tr("&Add service"))
        self.add_button.clicked.connect(self._add_service)
        self._fill_services()

        note = QLabel(
            self.tr(
                "Type the volume and the unit price in pounds; F2 or typing edits a cell. "
                "The bid's price is the sum of volume × unit price."
            )
            if editable
            else self.tr("The competition is awarded: its bids are closed.")
        )
        note.setWordWrap(True)
        adding = QHBoxLayout()
        adding.addWidget(self.service, 1)
        adding.addWidget(self.add_button)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addLayout(adding)
        layout.addWidget(buttons)
        self.service.setEnabled(editable)
        self.add_button.setEnabled(editable and self.service.count() > 0)
        self._show_total()
        self.resize(640, 320)

    def _fill_services(self) -> None:
        taken = {line.service_id for line in self.model.lines}
        self.service.clear()
        for service_id, name in self.bid.services:
            if service_id not in taken:
                self.service.addItem(name, service_id)

    def _add_service(self) -> None:
        if self.service.currentIndex() < 0:
            return
        self.model.add(self.service.currentData(), self.service.currentText())
        self._fill_services()
        self.add_button.setEnabled(self.service.count() > 0)
        self.table.setCurrentIndex(self.model.index(len(self.model.lines) - 1, VOLUME))
        self.table.setFocus()

    def _show_total(self) -> None:
        try:
            total = sum(volume * price for _s, volume, price in self.answer())
        except ValidationError:
            self.total.setText(self.tr("Bid total: not yet a valid figure on every line"))
            return
        self.total.setText(self.tr("Bid total: {0} a year").format(format_pounds(total) or "£0"))

    def answer(self) -> list[tuple[int, int, int]]:
        """(service id, volume, unit price in pence) for every line."""
        lines = []
        for line in self.model.lines:
            where = self.tr("Volume of {0}").format(line.service)
            raw = line.volume.replace(",", "").strip() or "0"
            try:
                volume = int(raw)
            except ValueError:
                raise ValidationError(
                    self.tr("'{0}' is not a whole number").format(line.volume), where
                ) from None
            if volume < 0:
                raise ValidationError(self.tr("a volume cannot be negative"), where)
            price_where = self.tr("Unit price of {0}").format(line.service)
            price = parse_pounds(line.unit_price or "0", price_where)
            if price < 0:
                raise ValidationError(self.tr("a unit price cannot be negative"), price_where)
            lines.append((line.service_id, volume, price))
        return lines


def lines_text(count: int) -> str:
    return "1 service line" if count == 1 else f"{count} service lines"


# -- the award ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardInput:
    decided: date
    start: date
    end: date
    title: str
    reference: str
    reason: str
    provider_kind: ProviderKind | None = None
    sector: Sector | None = None


class AwardDialog(CheckedDialog):
    """The award's dates, the new contract's title and reference, the reason (needed
    unless the bidder tops a complete evaluation) and, for a bidder not yet a provider,
    its kind and sector."""

    def __init__(self, plan: AwardPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(self.tr("Award {0} to {1}").format(plan.subject, plan.bidder))
        self.decided = QLineEdit(format_date(plan.decided))
        self.start = QLineEdit(format_date(plan.start))
        self.end = QLineEdit(format_date(plan.end))
        for field in (self.decided, self.start, self.end):
            field.setPlaceholderText("31/03/2010")
        self.title = QLineEdit(plan.title)
        self.title.setCursorPosition(0)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(self.tr("e.g. NOMS/NW/2010/01 (optional)"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(60)
        self.kind = QComboBox()
        self.sector = QComboBox()
        for kind in ProviderKind:
            self.kind.addItem(kind.label, kind.name)
        for sector in Sector:
            self.sector.addItem(sector.label, sector.name)
        rows: list[tuple[str, QWidget]] = [
            (self.tr("&Decided on:"), self.decided),
            (self.tr("Contract &starts:"), self.start),
            (self.tr("Contract &ends:"), self.end),
            (self.tr("&Title:"), self.title),
            (self.tr("&Reference:"), self.reference),
            (self.tr("Reas&on:"), self.reason),
        ]
        if plan.new_provider:
            rows += [
                (self.tr("Provider &kind:"), self.kind),
                (self.tr("Se&ctor:"), self.sector),
            ]
        if plan.leader:
            why = self.tr("{0} ranks first: a reason is optional.").format(plan.bidder)
        elif plan.problems:
            why = self.tr("No result yet ({0}): say why {1} is awarded.").format(
                "; ".join(plan.problems), plan.bidder
            )
        else:
            why = self.tr("{0} does not rank first alone: say why it is awarded.").format(
                plan.bidder
            )
        lines = [
            self.tr("The bid: {0} a year over {1}.").format(
                format_pounds(plan.price) or "£0", lines_text(plan.line_count)
            ),
            why,
        ]
        if plan.new_provider:
            lines.append(
                self.tr("{0} is not yet a provider: it is added with this kind and sector.").format(
                    plan.bidder
                )
            )
        heading = QLabel("\n".join(lines))
        heading.setWordWrap(True)
        lay_out_form(self, rows, self._accept, heading=heading)
        self.setMinimumWidth(560)

    def answer(self) -> AwardInput:
        dates = []
        for field, name in (
            (self.decided, self.tr("Decided on")),
            (self.start, self.tr("Contract starts")),
            (self.end, self.tr("Contract ends")),
        ):
            day = parse_date(field.text(), name)
            if day is None:
                raise ValidationError(self.tr("enter a date, e.g. 31/03/2010"), name)
            dates.append(day)
        decided, start, end = dates
        if end <= start:
            raise ValidationError(
                self.tr("the contract must end after it starts"), self.tr("Contract ends")
            )
        reason = self.reason.toPlainText().strip()
        if not self.plan.leader and not reason:
            raise ValidationError(
                self.tr("say why {0} is awarded the contract").format(self.plan.bidder),
                self.tr("Reason"),
            )
        kind = ProviderKind[self.kind.currentData()] if self.plan.new_provider else None
        sector = Sector[self.sector.currentData()] if self.plan.new_provider else None
        return AwardInput(
            decided,
            start,
            end,
            self.title.text().strip(),
            self.reference.text().strip(),
            reason,
            kind,
            sector,
        )
