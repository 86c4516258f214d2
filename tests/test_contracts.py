"""Contracts: variations as dated history, current terms derived, notice dates right."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dom_desk.domain import contract_options, contracts
from dom_desk.domain.region import today
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AuditEntry,
    OptionKind,
    Provider,
    ProviderKind,
    Sector,
    Variation,
    VariationKind,
)


def _contract(
    session, start: date, end: date, value: int | None = 10_000_000_00, notice: int | None = 3
) -> Agreement:
    provider = Provider(
        name=f"HMP Test {start.isoformat()} {end.isoformat()}",
        kind=ProviderKind.CONTRACTED_PRISON,
        sector=Sector.PRIVATE,
    )
    agreement = Agreement(
        provider=provider,
        kind=AgreementKind.CONTRACT,
        title="Test contract",
        status=AgreementStatus.SIGNED,
        start=start,
        end=end,
        annual_value=value,
        notice_months=notice,
    )
    session.add(agreement)
    session.flush()
    return agreement


@pytest.mark.parametrize(
    ("end", "notice"),
    [
        (date(2012, 2, 29), date(2011, 11, 29)),  # leap day, three months back
        (date(2010, 8, 31), date(2010, 5, 31)),
        (date(2013, 5, 31), date(2013, 2, 28)),  # 31 May less three months: no 31 February
        (date(2012, 5, 31), date(2012, 2, 29)),  # ... and in a leap year, the 29th
    ],
)
def test_notice_date_is_the_end_less_the_notice_period(workbook, end, notice) -> None:
    with workbook.session() as session:
        agreement = _contract(session, date(2008, 4, 1), end)
        assert contracts.notice_date(agreement) == notice


def test_a_variation_changes_the_current_value_and_the_history_shows_both(workbook) -> None:
    with workbook.session() as session:
        agreement_id = _contract(session, date(2008, 4, 1), date(2013, 3, 31)).id
    with workbook.session() as session:
        contracts.record_variation(
            session,
            agreement_id,
            VariationKind.VALUE,
            date(2009, 10, 1),
            "Extra 40 places",
            value_change=1_250_000_00,
        )
    with workbook.session() as session:
        agreement = session.get(Agreement, agreement_id)
        assert agreement.annual_value == 10_000_000_00  # the original is never overwritten
        assert contracts.current_value(agreement) == 11_250_000_00
        assert contracts.current_value(agreement, on=date(2009, 9, 30)) == 10_000_000_00
        steps = contracts.history(agreement)
        assert [(s.kind, s.value_after) for s in steps] == [
            ("Original", 10_000_000_00),
            ("Change of value", 11_250_000_00),
        ]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "vary")).one()
        assert (audit.field, audit.old, audit.new) == ("current_value", "1000000000", "1125000000")


def test_a_change_of_value_counts_in_the_whole_life_value_only_from_its_date(workbook) -> None:
    with workbook.session() as session:
        # £120,000 a year for five years; from the start of year three, £150,000.
        agreement = _contract(session, date(2008, 4, 1), date(2013, 3, 31), value=120_000_00)
        contracts.record_variation(
            session,
            agreement.id,
            VariationKind.VALUE,
            date(2010, 4, 1),
            "Extra places",
            value_change=30_000_00,
        )
        assert contracts.current_value(agreement) == 150_000_00
        assert contracts.whole_life_value(agreement) == 2 * 120_000_00 + 3 * 150_000_00


def test_a_years_value_counts_the_months_of_the_term_in_it_at_the_value_then(workbook) -> None:
    with workbook.session() as session:
        # Starts in October 2009 at £120,000 a year; £150,000 from January 2010.
        agreement = _contract(session, date(2009, 10, 1), date(2012, 9, 30), value=120_000_00)
        contracts.record_variation(
            session,
            agreement.id,
            VariationKind.VALUE,
            date(2010, 1, 1),
            "Extra places",
            value_change=30_000_00,
        )
        year = (date(2009, 4, 1), date(2010, 3, 31))
        assert contracts.value_in_period(agreement, *year) == 3 * 10_000_00 + 3 * 12_500_00
        assert (
            contracts.value_in_period(agreement, date(2010, 4, 1), date(2011, 3, 31)) == 150_000_00
        )
        # The last year holds the six months to the end of September 2012.
        assert (
            contracts.value_in_period(agreement, date(2012, 4, 1), date(2013, 3, 31)) == 75_000_00
        )


def test_a_duration_variation_moves_the_end_notice_and_whole_life_value(workbook) -> None:
    with workbook.session() as session:
        agreement = _contract(session, date(2008, 4, 1), date(2013, 3, 31), value=12_000_00)
        before = contracts.whole_life_value(agreement)
        contracts.record_variation(
            session,
            agreement.id,
            VariationKind.DURATION,
            date(2012, 1, 1),
            "Two-year extension",
            new_end=date(2015, 3, 31),
        )
        assert before == 60_000_00
        assert contracts.current_end(agreement) == date(2015, 3, 31)
        assert contracts.notice_date(agreement) == date(2014, 12, 31)
        assert contracts.whole_life_value(agreement) == 84_000_00
        assert agreement.end == date(2013, 3, 31)
        assert [s.end_after for s in contracts.history(agreement)] == [
            date(2013, 3, 31),
            date(2015, 3, 31),
        ]


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"kind": VariationKind.VALUE}, "Value change"),
        ({"kind": VariationKind.DURATION}, "New end"),
        ({"kind": VariationKind.TERMS}, "Description"),
        ({"kind": VariationKind.VALUE, "value_change": -20_000_000_00}, "Value change"),
        ({"kind": VariationKind.DURATION, "new_end": date(2007, 1, 1)}, "New end"),
        (
            {"kind": VariationKind.VALUE, "value_change": 1, "effective": date(2001, 1, 1)},
            "Effective",
        ),
    ],
)
def test_a_refused_variation_writes_nothing(workbook, kwargs, where) -> None:
    with workbook.session() as session:
        agreement_id = _contract(session, date(2008, 4, 1), date(2013, 3, 31)).id
    kwargs = {"effective": date(2009, 10, 1), **kwargs}
    with pytest.raises(ValidationError) as refused, workbook.session() as session:
        contracts.record_variation(session, agreement_id, **kwargs)
    assert refused.value.where == where
    with workbook.session() as session:
        assert session.scalars(select(Variation)).all() == []
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "vary")).all() == []


def test_slas_have_no_variations(workbook) -> None:
    with workbook.session() as session:
        agreement = _contract(session, date(2009, 4, 1), date(2010, 3, 31))
        agreement.kind = AgreementKind.SLA
        with pytest.raises(ValidationError, match="SLA"):
            contracts.record_variation(
                session, agreement.id, VariationKind.TERMS, date(2009, 5, 1), "New terms"
            )


def test_exercising_an_extension_option_is_recorded_as_a_variation(workbook) -> None:
    with workbook.session() as session:
        agreement = _contract(session, date(2008, 4, 1), date(2013, 3, 31))
        option = contract_options.add_option(
            session,
            agreement.id,
            OptionKind.EXTENSION,
            date(2013, 4, 1),
            decide_by=date(2012, 3, 31),
            months=24,
        )
        contract_options.exercise(session, option.id, date(2012, 2, 1))
        assert contracts.current_end(agreement) == date(2015, 3, 31)
        assert option.decided == date(2012, 2, 1)
        with pytest.raises(ValidationError, match="already decided"):
            contract_options.waive(session, option.id, date(2012, 2, 2))


def test_withdrawing_a_variation_keeps_it_in_the_audit_trail(workbook) -> None:
    with workbook.session() as session:
        agreement = _contract(session, date(2008, 4, 1), date(2013, 3, 31))
        variation = contracts.record_variation(
            session, agreement.id, VariationKind.VALUE, date(2009, 10, 1), "Typo", value_change=5
        )
        contracts.withdraw_variation(session, variation.id, "Entered in error")
        session.flush()
        session.refresh(agreement)
        assert contracts.current_value(agreement) == agreement.annual_value
        trail = session.scalars(select(AuditEntry).where(AuditEntry.action == "withdraw")).one()
        assert "Entered in error" in trail.note and trail.old == "Typo"


def test_on_the_demo_a_variation_changes_the_current_value_and_history(demo) -> None:
    with demo.session() as session:
        agreement = session.scalars(
            select(Agreement).where(Agreement.kind == AgreementKind.CONTRACT).order_by(Agreement.id)
        ).first()
        before = contracts.current_value(agreement)
        steps_before = len(contracts.history(agreement))
        contracts.record_variation(
            session,
            agreement.id,
            VariationKind.VALUE,
            today(session),
            "Extra places",
            value_change=250_000_00,
        )
        agreement_id = agreement.id
    with demo.session() as session:
        agreement = session.get(Agreement, agreement_id)
        steps = contracts.history(agreement)
        assert contracts.current_value(agreement) == before + 250_000_00
        assert len(steps) == steps_before + 1
        assert steps[-2].value_after == before and steps[-1].value_after == before + 250_000_00
