"""What every file of one returns import is checked against, looked up once: the region,
the workbook's measures, each provider's measures and targets, the files already seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.applicability import measure_ids_for
from dom_desk.domain.collector import collector_paused
from dom_desk.domain.region import region
from dom_desk.domain.returns_outcome import (
    FilePreview,
)
from dom_desk.domain.returns_rows import MeasureInfo, RowChecker
from dom_desk.models import Measure, Period, Provider, Submission, Target
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import (
    Limits,
    ReturnBook,
)
from dom_desk.storage import audit


@dataclass
class ImportContext:
    """What every file in one import is checked against, looked up once."""

    session: Session
    limits: Limits
    region_name: str
    workbook_uuid: str
    measures: dict[str, MeasureInfo]
    user: str
    now: datetime
    _providers: dict[tuple[int, int], tuple[set[int], dict[int, Decimal | None]]] = field(
        default_factory=dict
    )
    _titles: dict[str, str] | None = None
    max_measure_id: int = 0
    #: Files already seen in this import, by SHA-256 and by (provider, period).
    seen_files: dict[str, str] = field(default_factory=dict)
    seen_slots: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, limits: Limits) -> ImportContext:
        home = region(session)
        # Core rather than ORM: a national workbook has tens of thousands of measures.
        table = Measure.__table__.c
        statement = select(
            table.id,
            table.code,
            table.code_key,
            table.title,
            table.unit,
            table.national_value,
            table.floor,
        )
        with collector_paused():
            measures = {
                code_key: MeasureInfo(id_, code, title, unit, national or floor)
                for id_, code, code_key, title, unit, national, floor in session.connection()
                .execute(statement)
                .all()
            }
        return cls(
            session,
            limits,
            home.name,
            home.workbook_uuid,
            measures,
            audit.current_user(),
            audit.now(),
            max_measure_id=max((m.id for m in measures.values()), default=0),
        )

    def code_for_title(self, title: str) -> str | None:
        """The code of the measure worded ``title`` (for rows whose code was left out);
        the index is built on first use, as most returns keep their codes."""
        if self._titles is None:
            self._titles = {}
            for key, info in self.measures.items():
                self._titles.setdefault(fmt.normal_title(info.title), key)
        return self._titles.get(fmt.normal_title(title))

    def provider_measures(
        self, provider: Provider, period: Period
    ) -> tuple[set[int], dict[int, Decimal | None]]:
        key = (provider.id, period.year_id)
        if key not in self._providers:
            targets = dict(
                self.session.connection()
                .execute(
                    select(Target.measure_id, Target.value).where(
                        Target.provider_id == provider.id, Target.year_id == period.year_id
                    )
                )
                .all()
            )
            self._providers[key] = (measure_ids_for(self.session, provider, period.year), targets)
        return self._providers[key]


@dataclass
class OpenedReturn:
    """A file past its header checks: the sheet and header to stream rows from."""

    book: ReturnBook
    sheet: Any
    checker: RowChecker
    #: Applies the preview's decisions (``returns_decisions.RowDecider``), if any.
    decider: Any = None


def current_submissions(session: Session, provider_id: int, period_id: int) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(
                Submission.provider_id == provider_id,
                Submission.period_id == period_id,
                Submission.superseded_by_id.is_(None),
            )
            .order_by(Submission.id)
        )
    )


def cell_place(preview: FilePreview, sheet: str, cell: str) -> str:
    return f"'{preview.name}', {sheet}!{cell}"
