"""Key dates: drawn from every source, bucketed for the Overview, overdue until done."""

from __future__ import annotations

from datetime import date

from dom_desk.domain import competitions, contract_options, contracts, keydates
from dom_desk.domain.keydates import Bucket
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Level,
    Milestone,
    OptionKind,
    Provider,
    ProviderKind,
    Risk,
    Sector,
    VariationKind,
)

TODAY = date(2009, 11, 16)


def _setup(session) -> dict[str, int]:
    provider = Provider(
        name="HMP Doncaster", kind=ProviderKind.CONTRACTED_PRISON, sector=Sector.PRIVATE
    )
    contract = Agreement(
        provider=provider,
        kind=AgreementKind.CONTRACT,
        title="Doncaster",
        status=AgreementStatus.SIGNED,
        start=date(1995, 6, 1),
        end=date(2010, 2, 28),
        annual_value=100,
        notice_months=3,
    )
    sla = Agreement(
        provider=provider,
        kind=AgreementKind.SLA,
        title="Doncaster SLA",
        negotiation_deadline=date(2010, 1, 31),
    )
    milestone = Milestone(
        title="Publish the plan", due=date(2009, 12, 31), due_text="December 2009"
    )
    risk = Risk(
        reference="7",
        description="Programme slips",
        likelihood=Level.M,
        impact=Level.H,
        review=date(2009, 10, 31),
    )
    session.add_all([contract, sla, milestone, risk])
    session.flush()
    contract_options.add_option(
        session, contract.id, OptionKind.BREAK, date(2010, 6, 1), decide_by=date(2010, 4, 30)
    )
    competitions.create_competition(
        session, "Buckley Hall", competitions.CompetitionKind.RECOMPETE, expiry="June 2010"
    )
    return {"contract": contract.id, "milestone": milestone.id, "risk": risk.id}


def test_key_dates_come_from_every_source(workbook) -> None:
    with workbook.session() as session:
        _setup(session)
        found = {(k.kind, k.when) for k in keydates.key_dates(session)}
    assert {
        ("end", date(2010, 2, 28)),
        ("notice", date(2009, 11, 28)),
        ("break", date(2010, 4, 30)),
        ("negotiation", date(2010, 1, 31)),
        ("milestone", date(2009, 12, 31)),
        ("review", date(2009, 10, 31)),
        ("stage", date(2009, 6, 30)),
    } <= found


def test_buckets_split_overdue_30_90_and_180_days(workbook) -> None:
    with workbook.session() as session:
        _setup(session)
        grouped = keydates.buckets(session, TODAY)
    kinds = {bucket: {k.kind for k in keys} for bucket, keys in grouped.items()}
    assert {"review", "stage"} <= kinds[Bucket.OVERDUE]  # review 31/10, call June 2009
    assert {"notice"} <= kinds[Bucket.DAYS_30]  # 28/11/2009
    assert {"milestone", "negotiation"} <= kinds[Bucket.DAYS_90]
    assert {"end", "break"} <= kinds[Bucket.DAYS_180]
    every = [k for keys in grouped.values() for k in keys]
    assert len(every) == len({k.key for k in every})  # each in exactly one bucket


def test_an_overdue_date_stays_until_marked_done_and_can_be_reopened(workbook) -> None:
    with workbook.session() as session:
        _setup(session)
    with workbook.session() as session:
        overdue = [k for k in keydates.upcoming(session, TODAY, 30) if k.overdue(TODAY)]
        assert {k.kind for k in overdue} >= {"review", "stage"}
        for key in overdue:
            keydates.mark_done(session, key.key, TODAY, "dealt with")
    with workbook.session() as session:  # persisted, in a new transaction
        assert not [k for k in keydates.upcoming(session, TODAY, 30) if k.overdue(TODAY)]
        stage = [k for k in keydates.key_dates(session) if k.kind == "stage"][0]
        assert stage.done
        keydates.reopen(session, overdue[0].key)
        assert [k.key for k in keydates.upcoming(session, TODAY, 0)] == [overdue[0].key]


def test_a_moved_date_is_due_again_even_if_the_old_one_was_done(workbook) -> None:
    with workbook.session() as session:
        ids = _setup(session)
        notice = next(k for k in keydates.key_dates(session) if k.kind == "notice")
        keydates.mark_done(session, notice.key, TODAY)
        contracts.record_variation(
            session,
            ids["contract"],
            VariationKind.DURATION,
            date(2009, 11, 1),
            "Extended",
            new_end=date(2011, 2, 28),
        )
        notices = [k for k in keydates.key_dates(session) if k.kind == "notice"]
        assert [(k.when, k.done) for k in notices] == [(date(2010, 11, 28), False)]


def test_leap_day_end_gives_the_right_notice_deadline(workbook) -> None:
    with workbook.session() as session:
        ids = _setup(session)
        contract = session.get(Agreement, ids["contract"])
        contract.end = date(2012, 2, 29)
        notice = next(k for k in keydates.key_dates(session) if k.kind == "notice")
        assert notice.when == date(2011, 11, 29)
