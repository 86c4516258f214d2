"""Targets for a year in bulk: the NOMS 2009-10 framework imported into a new Wales
workbook, a few providers with SLAs and a contract, and the year's targets filled by
guidance, once, in one transaction, and never over a value or a locked agreement."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from wales_targets import Wales, build_wales, targets_of

from dom_desk.cli import main
from dom_desk.domain import sla
from dom_desk.domain.measures import create_measure, set_measure_years
from dom_desk.domain.region import ensure_year
from dom_desk.domain.tables import FieldEdit
from dom_desk.domain.targets_bulk import FILL_ACTION, Outcome, fill_targets
from dom_desk.errors import LockedError, ValidationError
from dom_desk.models import AuditEntry
from dom_desk.storage.workbook import open_workbook


@pytest.fixture
def wales(tmp_path: Path) -> Wales:
    return build_wales(tmp_path)


@pytest.fixture
def wb(wales: Wales):
    opened = open_workbook(wales.path)
    yield opened
    opened.close()


def _fills(result) -> dict[tuple[str, str], tuple]:
    return {(f.provider, f.code): (f.outcome, f.value) for f in result.fills}


def test_targets_are_filled_by_guidance_for_every_provider(wb, wales: Wales) -> None:
    result = fill_targets(wb, "2009-10")
    fills = _fills(result)
    held = targets_of(wb)
    # National: the national value where one is recorded; otherwise not yet set.
    assert fills[("HMP Cardiff", "KPI 2")] == (Outcome.CREATED, Decimal(0))
    assert fills[("HMP Parc", "KPI 11")] == (Outcome.CREATED, Decimal(26))
    assert held[("HMP Cardiff", "KPI 11")][0] == Decimal(26)
    assert fills[("HMP Cardiff", "KPI 3")] == (Outcome.NOT_SET, None)
    assert ("HMP Cardiff", "KPI 3") not in held
    # Regional Minimum: offered at the floor, and the notes say it is an offer.
    assert fills[("HMP Parc", "KPI 13")] == (Outcome.CREATED, Decimal("3.5"))
    value, _minimum, notes, _v = held[("HMP Parc", "KPI 13")]
    assert value == Decimal("3.5") and "an offer, not yet agreed" in notes
    # Last year's agreed targets copied: a Regional Minimum above its floor, a local one.
    assert fills[("HMP Cardiff", "KPI 13")] == (Outcome.COPIED, Decimal("4.2"))
    assert fills[("HMP Cardiff", "KPI 6")] == (Outcome.COPIED, Decimal("9.5"))
    assert "Copied from 2008-09" in held[("HMP Cardiff", "KPI 6")][2]
    # Last year's value below the floor is refused as a typed one is: the floor offered.
    assert fills[("Wales Probation Trust", "KPI 5")] == (Outcome.CREATED, Decimal(70))
    assert any(
        r.startswith("Wales Probation Trust, KPI 5: 2008-09's target was not copied: 65 is below")
        for r in result.refusals
    )
    # Locally Set with nothing to copy: left not yet set, no row written.
    assert fills[("HMP Parc", "KPI 6")] == (Outcome.NOT_SET, None)
    assert ("HMP Parc", "KPI 6") not in held
    # A value already negotiated is kept.
    assert fills[("HMP Cardiff", "KPI 10")] == (Outcome.KEPT, Decimal("1.5"))
    assert held[("HMP Cardiff", "KPI 10")][:3] == (Decimal("1.5"), None, "")
    # Prisons get no probation measure, the trust no prison one; a charity only what it
    # was set a target for (here carried forward from last year).
    assert ("HMP Cardiff", "KPI 5") not in fills and ("Wales Probation Trust", "KPI 2") not in fills
    assert {code for (name, code) in fills if name == "Gwalia Care"} == {"KPI 9"}
    assert fills[("Gwalia Care", "KPI 9")] == (Outcome.COPIED, Decimal(40))
    assert result.summary().startswith(
        f"{len(result.created)} targets created, 3 copied from 2008-09"
    )


def test_a_signed_sla_is_left_untouched_and_said_so(wb, wales: Wales) -> None:
    result = fill_targets(wb, "2009-10")
    assert "HMP Swansea" not in result.providers
    assert [(x.provider, x.status) for x in result.locked] == [("HMP Swansea", "signed")]
    assert (
        "HMP Swansea: 'HMP Swansea SLA 2009-10' is signed and locked, so its targets were "
        "left as they were (unlock it to fill them)" in result.refusals
    )
    assert not [key for key in targets_of(wb) if key[0] == "HMP Swansea"]
    with pytest.raises(LockedError, match="HMP Swansea, targets for 2009-10: 'HMP Swansea SLA"):
        fill_targets(wb, "2009-10", "HMP Swansea")


def test_running_it_again_changes_nothing(wb, wales: Wales) -> None:
    first = fill_targets(wb, "2009-10")
    after = targets_of(wb)
    with wb.session() as s:
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
    again = fill_targets(wb, "2009-10")
    assert not again.changed and not again.created and not again.copied
    assert targets_of(wb) == after  # same values, notes and row versions
    with wb.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == entries
    assert {(f.provider, f.code) for f in again.kept} == {
        (f.provider, f.code) for f in first.fills if f.outcome is not Outcome.NOT_SET
    }


def test_one_provider_only_and_no_copying(wb, wales: Wales) -> None:
    result = fill_targets(wb, "2009-10", "HMP Cardiff", copy_last_year=False)
    assert result.providers == ("HMP Cardiff",) and result.last_year == ""
    fills = _fills(result)
    assert fills[("HMP Cardiff", "KPI 13")] == (Outcome.CREATED, Decimal("3.5"))  # the floor
    assert fills[("HMP Cardiff", "KPI 6")] == (Outcome.NOT_SET, None)
    assert {key[0] for key in targets_of(wb)} == {"HMP Cardiff"}
    with pytest.raises(ValidationError, match="The workbook has no provider 'HMP Nowhere'"):
        fill_targets(wb, "2009-10", "HMP Nowhere")


def test_measure_year_links_are_respected(wb, wales: Wales) -> None:
    with wb.session() as s:
        ensure_year(s, "2010-11")
    set_measure_years(wb, "KPI 11", ["2010-11"])  # no longer a 2009-10 measure
    # Linked to no year: applies in every year.
    create_measure(
        wb,
        "W 1",
        "Welsh language services offered",
        "%",
        scope="Integrated",
        guidance="National",
        national_value=Decimal(100),
    )
    result = fill_targets(wb, "2009-10", "HMP Cardiff")
    codes = {f.code for f in result.fills}
    assert "KPI 11" not in codes and "W 1" in codes
    later = fill_targets(wb, "2010-11", "HMP Cardiff", copy_last_year=False)
    assert {f.code for f in later.fills} == {"KPI 11", "W 1"}


def test_every_target_written_is_in_the_audit_trail(wb, wales: Wales) -> None:
    result = fill_targets(wb, "2009-10", "HMP Cardiff")
    with wb.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == FILL_ACTION)).all()
        ids = {w.target_id for w in result.written}
        assert {e.entity_id for e in entries} == ids and len(entries) == len(ids)
        kpi2 = next(e for e in entries if e.note == "HMP Cardiff, KPI 2, 2009-10")
        assert (kpi2.entity, kpi2.field, kpi2.old, kpi2.new) == ("target", "value", None, "0")
        inserts = s.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.action == "insert", AuditEntry.entity == "target"
            )
        ).all()
        assert ids <= set(inserts)


def test_typed_values_are_refused_as_before_and_the_basis_is_shown(wb, wales: Wales) -> None:
    fill_targets(wb, "2009-10", "Wales Probation Trust")
    ws = sla.workspace(wb, "Wales Probation Trust", "2009-10")
    kpi5 = next(t for t in ws.targets if t.code == "KPI 5")
    assert (kpi5.value, kpi5.basis) == (Decimal(70), "offered (floor)")
    assert next(t for t in ws.targets if t.code == "KPI 8").basis == "to negotiate"
    assert next(t for t in ws.targets if t.code == "KPI 12").basis == "no national value"
    with pytest.raises(ValidationError, match="69 is below the Regional Minimum floor of 70"):
        sla.update_targets(
            wb, wales.trust, [FieldEdit(kpi5.measure_id, "value", Decimal(69))], "2009-10"
        )
    kpi12 = next(t for t in ws.targets if t.code == "KPI 12")
    with pytest.raises(ValidationError, match="the target is set nationally"):
        sla.update_targets(
            wb, wales.trust, [FieldEdit(kpi12.measure_id, "value", Decimal(8))], "2009-10"
        )
    sla.update_targets(
        wb, wales.trust, [FieldEdit(kpi5.measure_id, "value", Decimal(72))], "2009-10"
    )
    ws = sla.workspace(wb, "Wales Probation Trust", "2009-10")
    assert next(t for t in ws.targets if t.code == "KPI 5").basis == "in negotiation"
    cardiff = fill_targets(wb, "2009-10", "HMP Cardiff")
    assert cardiff.copied
    ws = sla.workspace(wb, "HMP Cardiff", "2009-10")
    assert next(t for t in ws.targets if t.code == "KPI 6").basis == "offered (2008-09)"
    assert next(t for t in ws.targets if t.code == "KPI 2").basis == "national"


def test_the_command_prints_what_it_did(wales: Wales, capsys) -> None:
    capsys.readouterr()
    assert main(["fill-targets", "--db", str(wales.path), "--year", "2009-10"]) == 0
    out = capsys.readouterr().out
    assert "HMP Cardiff, KPI 2: created, 0 (the national value)" in out
    assert (
        "HMP Cardiff, KPI 6: copied from last year, 9.5 (offered: 2008-09's agreed target)" in out
    )
    assert "HMP Parc, KPI 6: left not yet set (locally set: to be negotiated)" in out
    assert "HMP Swansea: 'HMP Swansea SLA 2009-10' is signed and locked" in out
    assert "targets created" in out.splitlines()[-1]
    assert main(["fill-targets", "--db", str(wales.path), "--year", "2009-10"]) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert (
        main(
            [
                "fill-targets",
                "--db",
                str(wales.path),
                "--year",
                "2009-10",
                "--provider",
                "HMP Swansea",
            ]
        )
        == 1
    )
    assert "is signed and locked" in capsys.readouterr().err


def test_the_year_s_targets_are_listed_and_no_copy_offers_the_floor(wales: Wales, capsys) -> None:
    db = str(wales.path)
    assert main(["fill-targets", "--db", db, "--year", "2009-10", "--no-copy"]) == 0
    out = capsys.readouterr().out
    assert "copied" not in out
    assert "HMP Cardiff, KPI 13: created, 3.5 (offered: the Regional Minimum floor)" in out
    assert main(["targets", "--db", db, "--year", "2009-10", "--provider", "HMP Cardiff"]) == 0
    rows = [line.split(",") for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == [
        "provider",
        "agreement",
        "code",
        "guidance",
        "target",
        "minimum",
        "floor",
        "basis",
    ]
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["KPI 13"][3:] == ["Regional Minimum", "3.5", "", "3.5", "offered (floor)"]
    assert by_code["KPI 6"][4:] == ["", "", "", "to negotiate"]
    assert by_code["KPI 3"][4:] == ["", "", "", "no national value"]
    assert main(["targets", "--db", db, "--year", "2009-10"]) == 0
    providers = {line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]}
    assert providers == {
        "HMP Cardiff",
        "HMP Swansea",
        "HMP Parc",
        "Wales Probation Trust",
        "Gwalia Care",
    }


def test_the_undo_step_takes_the_fill_back_and_keeps_a_later_change(wb, wales: Wales) -> None:
    from dom_desk.domain import planning_steps
    from dom_desk.domain.tables import run_action
    from dom_desk.errors import ConflictError

    before = targets_of(wb)
    step = planning_steps.fill_targets("2009-10", "Wales Probation Trust")
    run_action(wb, step.do)
    assert step.result.changed
    run_action(wb, step.undo)
    assert targets_of(wb) == before
    run_action(wb, step.do)  # redo: the same targets again, under ids never used before
    held = targets_of(wb)
    assert held[("Wales Probation Trust", "KPI 5")][0] == Decimal(70)
    # Changed since, other than through the undo stack: the undo is refused, theirs kept.
    ws = sla.workspace(wb, "Wales Probation Trust", "2009-10")
    kpi5 = next(t for t in ws.targets if t.code == "KPI 5")
    sla.update_targets(
        wb, wales.trust, [FieldEdit(kpi5.measure_id, "value", Decimal(75))], "2009-10"
    )
    with pytest.raises(ConflictError, match="Wales Probation Trust, KPI 5, Target was changed"):
        run_action(wb, step.undo)
    assert targets_of(wb)[("Wales Probation Trust", "KPI 5")][0] == Decimal(75)
    assert ("Wales Probation Trust", "KPI 13") in targets_of(wb)  # nothing half undone
