"""Who issues the plan (from the region's settings, never the login) and measure wording
with the target in the template's blank."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_plan import _provider, only, pages

from dom_desk.cli import main
from dom_desk.domain.measure_wording import placeholders, worded
from dom_desk.domain.region import issued_by, set_issued_by, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import Guidance, Measure, MeasureUnit, ProviderKind, Sector, Target
from dom_desk.plan import export_plan
from dom_desk.storage import audit
from dom_desk.storage.workbook import open_workbook

LOGIN = "svc_zq_login"


@pytest.fixture
def no_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """The computer's login is a name the plan must never print."""
    monkeypatch.setattr(audit, "current_user", lambda: LOGIN)


def test_the_issuer_prints_on_cover_version_table_and_sign_off(
    workbook, tmp_path: Path, no_login
) -> None:
    set_issued_by(workbook, "  Jane   Hart ", "Director of Offender Management")
    only(workbook, "cover", "version_control", "foreword")
    export_plan(workbook, "2009-10", tmp_path / "plan.pdf", final=True)
    cover, versions, foreword = pages(tmp_path / "plan.pdf")
    assert "Issued by Jane Hart, Director of Offender Management" in cover
    assert "Jane Hart, Director of Offender Management" in versions
    assert "Jane Hart Director of Offender Management" in foreword  # name over role
    assert not any(LOGIN in text for text in (cover, versions, foreword))
    from pypdf import PdfReader

    author = PdfReader(tmp_path / "plan.pdf").metadata["/Author"]
    assert author.startswith("Jane Hart, Director of Offender Management")


def test_without_a_name_the_role_is_the_issuer_and_never_the_login(
    workbook, tmp_path: Path, no_login
) -> None:
    assert issued_by(workbook).name == ""
    only(workbook, "cover", "version_control")
    export_plan(workbook, "2009-10", tmp_path / "plan.pdf", final=True)
    text = " ".join(pages(tmp_path / "plan.pdf"))
    assert "Issued by Director of Offender Management" in text
    assert LOGIN not in text


def test_the_command_line_keeps_the_issuer_for_later_exports(
    workbook, tmp_path: Path, no_login
) -> None:
    path = workbook.location
    only(workbook, "cover")
    workbook.close()
    args = ["plan", "--db", str(path), "--year", "2009-10", "--quiet"]
    assert (
        main(
            [
                *args,
                "--issued-by",
                "Sam Okafor",
                "--role",
                "Acting DOM",
                "-o",
                str(tmp_path / "a.pdf"),
            ]
        )
        == 0
    )
    assert main([*args, "-o", str(tmp_path / "b.pdf")]) == 0  # kept in the workbook
    assert "Issued by Sam Okafor, Acting DOM" in pages(tmp_path / "b.pdf")[0]
    assert main([*args, "--role", "", "-o", str(tmp_path / "c.pdf")]) == 0
    assert "Sam Okafor, Director of Offender Management" in pages(tmp_path / "c.pdf")[0]
    wb = open_workbook(path)
    try:
        assert issued_by(wb).role == "Director of Offender Management"
    finally:
        wb.close()


def test_a_name_too_long_is_refused_naming_the_field(workbook) -> None:
    with pytest.raises(ValidationError, match="Issued by"):
        set_issued_by(workbook, "N" * 121, "")
    assert issued_by(workbook).name == ""


@pytest.mark.parametrize(
    ("wording", "target", "unit", "printed"),
    [
        (
            "Less than x.x% of the prison population",
            "2.8",
            MeasureUnit.PERCENT,
            "Less than 2.8% of the prison population",
        ),
        (
            "[x]% of prisoners in purposeful activity",
            "85",
            MeasureUnit.PERCENT,
            "85.0% of prisoners in purposeful activity",  # as the target column prints it
        ),
        (
            "Fewer than 1 in x escapes",
            "20000",
            MeasureUnit.ONE_IN_X,
            "Fewer than 1 in 20,000 escapes",
        ),
        ("Sick days at most x", "9.5", MeasureUnit.DAYS, "Sick days at most 9.5 days"),
        # Not set: the blank stays, so a reader sees what is still to be agreed.
        (
            "Less than x.x% of the prison population",
            None,
            MeasureUnit.PERCENT,
            "Less than x.x% of the prison population",
        ),
        # No blank, or two (which one the target fills cannot be told): as written.
        (
            "Settled & <suitable> accommodation",
            "85",
            MeasureUnit.PERCENT,
            "Settled & <suitable> accommodation",
        ),
        (
            "[x] starts and [x] completions",
            "4",
            MeasureUnit.COUNT,
            "[x] starts and [x] completions",
        ),
        ("Xbox loans at max. extent", "3", MeasureUnit.COUNT, "Xbox loans at max. extent"),
    ],
)
def test_the_target_fills_the_blank_only_when_set(wording, target, unit, printed) -> None:
    value = Decimal(target) if target is not None else None
    assert worded(wording, value, unit) == printed


def test_placeholders_are_counted() -> None:
    assert placeholders("[x]% and x.x%") == 2
    assert placeholders("1 in [4] and [y]") == 0


def test_the_plan_fills_the_blank_where_the_target_is_set_and_keeps_it_where_not(
    workbook, tmp_path: Path
) -> None:
    with workbook.session() as session:
        year = year_by_label(session, "2009-10")
        prison = _provider(session, "HMP Zed", ProviderKind.PUBLIC_PRISON, Sector.PUBLIC)
        for code, title, value in (
            ("KPI 11", "Overcrowding less than x.x% of the prison population", Decimal("2.8")),
            ("KPI 12", "Staff sick days fewer than x.x per year", None),
        ):
            measure = Measure(
                code=code,
                code_key=code.replace(" ", ""),
                unit=MeasureUnit.PERCENT if code == "KPI 11" else MeasureUnit.DAYS,
                title=title,
                area="Decency",
                guidance=Guidance.NATIONAL,
            )
            session.add(measure)
            session.add(Target(measure=measure, provider=prison, year=year, value=value))
    only(workbook, "targets")
    export_plan(workbook, "2009-10", tmp_path / "plan.pdf", final=True)
    text = " ".join(pages(tmp_path / "plan.pdf", "raw"))
    assert "Overcrowding less than 2.8% of the prison population" in text
    assert "x.x%" not in text
    assert "Staff sick days fewer than x.x per year" in text
