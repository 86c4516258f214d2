"""The risk register: scores from the configurable matrix, the heat map, reviews."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dom_desk.domain import keydates, risks
from dom_desk.domain.region import DEFAULT_RISK_MATRIX
from dom_desk.errors import ValidationError
from dom_desk.models import AuditEntry, Level, Risk

#: The pairs the NPS 2005-06 register prints (DOMAIN.md).
NPS_SCORES = {
    ("L", "L"): 5,
    ("M", "L"): 8,
    ("L", "M"): 11,
    ("M", "M"): 14,
    ("M", "H"): 19,
    ("L", "VH"): 20,
    ("M", "VH"): 21,
    ("H", "H"): 22,
    ("H", "VH"): 24,
    ("VH", "VH"): 25,
}


def test_the_default_matrix_is_the_nps_registers_and_never_falls(workbook) -> None:
    for pair, score in NPS_SCORES.items():
        assert DEFAULT_RISK_MATRIX[pair] == score
    with workbook.session() as session:
        from dom_desk.domain.region import risk_matrix

        assert risks.matrix_problems(risk_matrix(session)) == []


def test_scores_come_from_the_matrix_and_follow_its_changes(workbook) -> None:
    with workbook.session() as session:
        risks.add_risk(session, "2", "Loss of key skills", Level.H, Level.VH)
        risks.add_risk(session, "8", "Division of services", Level.L, Level.L)
    with workbook.session() as session:
        assert [(r.reference, r.score, r.band) for r in risks.register(session)] == [
            ("2", 24, "Very high"),
            ("8", 5, "Low"),
        ]
        risks.set_score(session, Level.L, Level.L, 30)
        assert risks.register(session)[0].reference == "8"
        assert risks.matrix_problems(
            {
                **{(Level(a), Level(b)): s for (a, b), s in DEFAULT_RISK_MATRIX.items()},
                (Level.L, Level.L): 30,
            }
        )
        risks.reset_matrix(session)
        assert risks.register(session)[-1].score == 5


def test_the_heat_map_counts_risks_per_cell(workbook) -> None:
    with workbook.session() as session:
        for ref, lik, imp in (("1", "M", "H"), ("7", "M", "H"), ("2", "H", "VH")):
            risks.add_risk(session, ref, f"Risk {ref}", Level(lik), Level(imp))
        heat = risks.heat_map(session)
    assert heat.cell(Level.M, Level.H).references == ("1", "7")
    assert heat.cell(Level.M, Level.H).score == 19
    assert heat.cell(Level.H, Level.VH).count == 1
    assert heat.total == 3 and len(heat.cells) == 16


def test_levels_read_as_letters_or_words() -> None:
    assert risks.parse_level(" very  High ") is Level.VH
    assert risks.parse_level("m") is Level.M
    with pytest.raises(ValidationError, match="L, M, H or VH"):
        risks.parse_level("Severe", "D7")


def test_references_are_unique(workbook) -> None:
    with workbook.session() as session:
        risks.add_risk(session, "7", "First", Level.L, Level.L)
        with pytest.raises(ValidationError, match="already a risk 7"):
            risks.add_risk(session, "7", "Second", Level.L, Level.L)


def test_an_overdue_review_is_a_key_date_until_the_review_is_recorded(workbook) -> None:
    today = date(2009, 11, 16)
    with workbook.session() as session:
        risk = risks.add_risk(
            session, "7", "Programme slips", Level.M, Level.H, review=date(2009, 10, 31)
        )
        assert [k.kind for k in keydates.upcoming(session, today, 0)] == ["review"]
        risks.record_review(session, risk.id, today, date(2010, 2, 16), impact=Level.M)
        assert keydates.upcoming(session, today, 0) == []
        assert risks.register(session)[0].score == 14
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "review")).one()
        assert entry.old == "2009-10-31" and "M/M" in entry.note
        with pytest.raises(ValidationError, match="after this one"):
            risks.record_review(session, risk.id, today, today)
        assert session.get(Risk, risk.id).review == date(2010, 2, 16)
