"""The envelope's state against the DOM's warning share: over is exact to the penny,
nearly is from the warning share up, and the share is a setting of the workbook."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dom_desk.domain.allocations.grid import locked_reason, table_rows
from dom_desk.domain.allocations.position import (
    DEFAULT_WARNING,
    EnvelopeState,
    envelope_state,
    envelope_warning,
    envelope_words,
    position,
    set_envelope_warning,
)
from dom_desk.errors import ValidationError
from dom_desk.models import AuditEntry


@pytest.mark.parametrize(
    ("committed", "envelope", "state"),
    [
        (100, 0, EnvelopeState.NONE),
        (9_499, 10_000, EnvelopeState.WITHIN),
        (9_500, 10_000, EnvelopeState.NEARLY),  # at the warning share: nearly
        (10_000, 10_000, EnvelopeState.NEARLY),  # all of it, not over
        (10_001, 10_000, EnvelopeState.OVER),  # one penny over
    ],
)
def test_the_state_is_exact_in_pence(committed: int, envelope: int, state: EnvelopeState) -> None:
    assert envelope_state(committed, envelope, DEFAULT_WARNING) is state


def test_the_state_is_said_in_words() -> None:
    envelope = 440_000_000 * 100
    over = envelope_words(envelope + 38_000_000 * 100, envelope, Decimal(95))
    assert over == "108.6% of the envelope committed: £38,000,000 over"
    nearly = envelope_words(envelope - 100 * 100, envelope, Decimal(95))
    assert nearly == "100.0% of the envelope committed: £100 left, nearly used"
    within = envelope_words(envelope // 2, envelope, Decimal(95))
    assert within == "50.0% of the envelope committed: £220,000,000 left"


def test_the_warning_is_95_until_set_then_stored_and_audited(workbook) -> None:
    assert envelope_warning(workbook) == Decimal(95)
    set_envelope_warning(workbook, Decimal("90.5"))
    assert envelope_warning(workbook) == Decimal("90.5")
    assert position(workbook).warning == Decimal("90.5")
    set_envelope_warning(workbook, Decimal(92))
    with workbook.session() as session:
        named = session.scalars(
            select(AuditEntry).where(AuditEntry.field == "envelope_warning_percent")
        ).all()
    assert [(e.old, e.new) for e in named] == [(None, "90.5"), ("90.5", "92")]


@pytest.mark.parametrize("bad", [Decimal(0), Decimal(-5), Decimal("100.1"), Decimal("NaN")])
def test_a_warning_outside_0_to_100_is_refused_and_nothing_stored(workbook, bad) -> None:
    with pytest.raises(ValidationError, match="Envelope warning"):
        set_envelope_warning(workbook, bad)
    assert envelope_warning(workbook) == Decimal(95)


def test_signed_rows_say_locked_and_why(demo) -> None:
    pos = position(demo)
    rows = {r.id: r for r in table_rows(pos)}
    flag = -1  # the Check column is last
    signed = next(x for x in pos.lines if x.status.label == "Signed")
    open_line = next(x for x in pos.lines if not x.locked)
    assert rows[signed.id].values[flag].startswith("Locked")
    assert locked_reason(rows[signed.id]) == (
        "Signed: unlock the SLA in the SLA workspace to change it"
    )
    assert locked_reason(rows[open_line.id]) is None
    assert not rows[open_line.id].values[flag].startswith("Locked")
