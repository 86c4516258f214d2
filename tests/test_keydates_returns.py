"""Returns among the key dates (and so in ``dom-desk keydates``): one date per month of
the working year, done once every provider's return is in, naming who is missing once
overdue. On the demo region, whose working date is 02/11/2009."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain import keydates
from dom_desk.domain import returns_schedule as rs
from dom_desk.models import Period, Provider, Submission


def _returns(wb) -> dict[str, keydates.KeyDate]:
    with wb.session() as session:
        found = [k for k in keydates.key_dates(session) if k.kind == "returns"]
    return {k.what.split(" returns due")[0]: k for k in found}


def test_one_key_date_per_month_on_its_due_date(demo) -> None:
    dates = _returns(demo)
    rows = rs.returns_schedule(demo)
    owing = len({r.provider_id for r in rows})
    months = ["April", "May", "June", "July", "August", "September", "October"]
    months += ["November", "December", "January", "February", "March"]
    assert list(dates) == [f"{m} {2009 if i < 9 else 2010}" for i, m in enumerate(months)]
    october = dates["October 2009"]
    assert october.when == date(2009, 11, 13)  # 10 working days after 31/10/2009
    assert october.what == f"October 2009 returns due ({owing} providers)"
    assert not october.done and not october.overdue(date(2009, 11, 2))
    # Each date is the due date of every return of its month in the schedule.
    for label, key in dates.items():
        month = [r for r in rows if f"{r.period_end:%B %Y}" == label]
        assert {r.due for r in month} == {key.when}
        assert key.done == all(r.received_on is not None for r in month)


def test_a_month_fully_in_is_done_and_an_overdue_one_names_who_is_missing(demo) -> None:
    dates = _returns(demo)
    assert dates["April 2009"].done  # every April return came in
    september = dates["September 2009"]
    assert not september.done and september.overdue(date(2009, 11, 2))
    assert september.what.endswith(": overdue from Cumbria Probation Area")
    # Cumbria's September return arrives (late): the month is done.
    with demo.session() as session:
        cumbria = session.scalars(select(Provider).where(Provider.name.like("Cumbria%"))).one()
        period = session.scalars(select(Period).where(Period.code == "2009-09")).one()
        session.add(
            Submission(
                provider_id=cumbria.id,
                period_id=period.id,
                received_at=datetime(2009, 11, 2, 9, 30),
                received_by="test",
                declared=True,
            )
        )
    september = _returns(demo)["September 2009"]
    assert september.done and ": overdue" not in september.what
    with demo.session() as session:
        assert september.key not in {k.key for k in keydates.upcoming(session, date.today(), 0)}


def test_the_due_rule_moves_the_key_dates(demo) -> None:
    rs.set_due_rule(demo, 5)
    assert _returns(demo)["October 2009"].when == date(2009, 11, 6)


def test_keydates_command_lists_the_returns(demo, tmp_path: Path, capsys) -> None:
    if demo.is_server:  # no lock on the server: read the region itself
        db = demo.location
    else:  # the open file is locked for editing by the fixture: read a copy
        db = str(tmp_path / "copy.domdesk")
        shutil.copyfile(demo.path, db)
    assert main(["keydates", "--db", db]) == 0
    out = capsys.readouterr().out
    owing = len({r.provider_id for r in rs.returns_schedule(demo)})
    overdue = out.split("Within 30 days")[0]
    assert "14/10/2009  September 2009 returns due" in overdue
    assert "Cumbria Probation Area" in overdue
    assert f"13/11/2009  October 2009 returns due ({owing} providers)" in out
    assert "April 2009 returns due" not in out  # done: not listed as open
