"""`dom-desk check` on a sound book warns of agreements ending within 18 months with no
competition or renewal under way (issue 15 item 4)."""

from __future__ import annotations

from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain.competitions import create_competition
from dom_desk.models import Agreement, CompetitionKind

SOVA = "Through-the-gate mentoring and family support (Sova) ends 30/09/2010"


def test_check_warns_of_agreements_ending_with_nothing_under_way(demo, capsys) -> None:
    path, name, on_server = demo.location, demo.name, demo.is_server
    with demo.session() as session:
        sova = session.scalar(select(Agreement).where(Agreement.title.startswith("Through-the")))
        sova_id = sova.id
    demo.close()
    assert main(["check", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    # A file's own checks pass; on the server, its region's figures agree.
    assert out.startswith(f"{name}'s figures agree" if on_server else f"'{name}' is sound.")
    assert f"Warning: {SOVA}: no competition or renewal under way" in out
    # Buckley Hall's SLA ends in June 2010 too, but its competition is under way.
    assert "Buckley Hall" not in out

    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(path)
    with wb.session() as session:
        create_competition(
            session, "Mentoring re-tender", CompetitionKind.MARKET_TEST, agreement_id=sova_id
        )
    wb.close()
    assert main(["check", "--db", str(path)]) == 0
    assert SOVA not in capsys.readouterr().out
