"""The weighted scorecard's table model: rank, provider, score and movement, then each
weighted measure's points, read from the plain Scorecard the domain built."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from dom_desk.domain.scorecard import ProviderScore, Scorecard
from dom_desk.ui.performance_models import (
    _BRUSHES,
    _LEFT,
    _RIGHT,
    _TEXT,
    NOT_APPLICABLE,
    Index,
    KeyRole,
    SortKeyRole,
)

# -- the scorecard --------------------------------------------------------------------------


def _signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"+{value:.1f}" if value > 0 else f"{value:.1f}"


class ScorecardModel(QAbstractTableModel):
    """Rank, provider, score and movement, then each weighted measure's points."""

    FIXED = (
        "Rank",
        "Provider",
        "Score",
        "Weight counted",
        "Movement",
        "Score change",
        "What moved",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.card: Scorecard | None = None

    def set_scorecard(self, card: Scorecard | None) -> None:
        self.beginResetModel()
        self.card = card
        self.endResetModel()

    @property
    def scores(self) -> tuple[ProviderScore, ...]:
        return self.card.scores if self.card else ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.scores)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.card is None:
            return 0
        return len(self.FIXED) + len(self.card.measures)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.card is None:
            return None
        entry = self.scores[index.row()]
        column = index.column()
        if column >= len(self.FIXED):
            return self._measure_data(entry, column - len(self.FIXED), role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            match column:
                case 0:
                    return entry.rank_text
                case 1:
                    return entry.provider.name
                case 2:
                    return "" if entry.score is None else f"{entry.score:.1f}"
                case 3:
                    return f"{entry.counted_weight} of {self.card.total_weight}"
                case 4:
                    return entry.movement
                case 5:
                    return _signed(entry.score_change)
                case 6:
                    return "; ".join(entry.changes)
        if role == SortKeyRole:
            keys = (
                entry.rank if entry.rank is not None else 10**9,
                entry.provider.name.casefold(),
                entry.score if entry.score is not None else Decimal(-1),
                entry.counted_weight,
                entry.rank_change or 0,
                entry.score_change or Decimal(0),
                len(entry.changes),
            )
            return keys[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column in (1, 4, 6) else _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == 6 and entry.changes:
            return "\n".join(entry.changes)
        if role == KeyRole:
            return (entry.provider.id, None)
        return None

    def _measure_data(self, entry: ProviderScore, position: int, role: int) -> Any:
        line = entry.lines[position]
        weight = line.measure.weighting or 0
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if line.status is None:
                return NOT_APPLICABLE
            if not line.counted:
                return f"{line.status.symbol} {line.status.label} (not counted)"
            return f"{line.status.symbol} {line.points:.1f} / {weight}"
        if role == Qt.ItemDataRole.BackgroundRole and line.status is not None:
            return _BRUSHES[line.status]
        if role == Qt.ItemDataRole.ForegroundRole:
            return _TEXT
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            status = line.status.label if line.status else "does not apply"
            return (
                f"{entry.provider.name}, {line.measure.code}: {status}; "
                f"{line.points:.1f} of {weight} points"
            )
        if role == SortKeyRole:
            return line.points
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == KeyRole:
            return (entry.provider.id, line.measure.id)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.card is None:
            return None
        if section < len(self.FIXED):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(self.FIXED[section])
            return None
        measure = self.card.measures[section - len(self.FIXED)]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{measure.short_name}\n{measure.code}, weight {measure.weighting}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return measure.describe()
        return None
