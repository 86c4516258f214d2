"""The SLA workspace: service lines, targets under their guidance, status and locking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from negotiation_data import build, figures, pounds
from sqlalchemy import select

from dom_desk.domain import sla
from dom_desk.domain.tables import FieldEdit
from dom_desk.errors import LockedError, ValidationError
from dom_desk.models import AgreementStatus, AuditEntry, Target


def test_workspace_shows_lines_with_exact_values_and_the_providers_measures(workbook) -> None:
    ids = build(workbook)
    ws = sla.workspace(workbook, "HMP Kennet")
    assert ws.agreement == "HMP Kennet SLA 2009-10" and not ws.locked
    assert [(x.service, x.volume, x.value) for x in ws.lines] == [
        ("Custody places", 30, 30 * pounds(22_000)),
        ("Drug treatment in custody", 100, 100 * pounds(1_100)),
    ]
    assert ws.value == pounds(660_000 + 110_000)
    assert ws.allocated == pounds(660_000 + 110_000)
    targets = {t.code: t for t in ws.targets}
    # A prison sees prison and integrated measures; a charity only integrated ones.
    assert set(targets) == {"PT 9", "KPT 4", "KPT 1", "PM 3"}
    assert {t.code for t in sla.workspace(workbook, ids.charity).targets} == {"PT 9", "PM 3"}
    assert targets["KPT 4"].value == Decimal("9.3") and not targets["KPT 4"].editable
    assert targets["PT 9"].value == 75 and targets["PT 9"].editable


def test_a_contract_provider_gets_its_contract_as_the_workspace(workbook) -> None:
    ids = build(workbook)
    ws = sla.workspace(workbook, ids.charity)
    assert ws.agreement == "Nacro resettlement contract"
    assert ws.allocated == pounds(87_500 + 1_000)


def test_volumes_and_prices_are_edited_all_or_nothing(workbook) -> None:
    ids = build(workbook)
    ws = sla.workspace(workbook, ids.prison)
    custody, drugs = ws.lines
    before = figures(workbook)
    with pytest.raises(
        ValidationError, match="Drug treatment in custody, Volume: Volume cannot be negative"
    ):
        sla.update_lines(
            workbook, [FieldEdit(custody.id, "volume", 40), FieldEdit(drugs.id, "volume", -1)]
        )
    assert figures(workbook) == before
    changes = sla.update_lines(
        workbook, [FieldEdit(custody.id, "unit_price", pounds(23_000), custody.version)]
    )
    assert sla.workspace(workbook, ids.prison).lines[0].value == 30 * pounds(23_000)
    sla.update_lines(workbook, [FieldEdit(c.row_id, c.key, c.old) for c in changes])
    assert figures(workbook) == before


def test_a_national_target_is_shown_but_not_editable(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    with pytest.raises(ValidationError, match="KPT 4, Target: the target is set nationally"):
        sla.update_targets(workbook, ids.prison, [FieldEdit(ids.drugs, "value", Decimal(8))])
    assert figures(workbook) == before


@pytest.mark.parametrize(
    ("measure", "value", "message"),
    [
        ("rate", "69.9", "69.9 is below the Regional Minimum floor of 70"),
        ("escapes", "0.06", r"0.06 is worse than the Regional Minimum of 0.05 \(lower is better\)"),
    ],
)
def test_a_regional_minimum_cannot_be_set_worse_than_its_floor(
    workbook, measure: str, value: str, message: str
) -> None:
    ids = build(workbook)
    before = figures(workbook)
    with pytest.raises(ValidationError, match=message):
        sla.update_targets(
            workbook, ids.prison, [FieldEdit(getattr(ids, measure), "value", Decimal(value))]
        )
    with pytest.raises(ValidationError, match=message):
        sla.update_targets(
            workbook, ids.prison, [FieldEdit(getattr(ids, measure), "minimum", Decimal(value))]
        )
    assert figures(workbook) == before


def test_targets_at_the_floor_or_better_are_accepted(workbook) -> None:
    ids = build(workbook)
    sla.update_targets(
        workbook,
        ids.prison,
        [
            FieldEdit(ids.rate, "value", Decimal(70)),
            FieldEdit(ids.escapes, "value", Decimal("0.04")),
            FieldEdit(ids.local, "value", Decimal(120)),
        ],
    )
    targets = {t.code: t.value for t in sla.workspace(workbook, ids.prison).targets}
    assert (targets["PT 9"], targets["KPT 1"], targets["PM 3"]) == (70, Decimal("0.04"), 120)


def test_clearing_a_new_target_leaves_no_empty_row_behind(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    sla.update_targets(workbook, ids.prison, [FieldEdit(ids.local, "value", Decimal(5))])
    sla.update_targets(workbook, ids.prison, [FieldEdit(ids.local, "value", None)])
    assert figures(workbook) == before


def test_a_signed_sla_is_locked_until_unlocked_and_the_unlock_is_audited(workbook) -> None:
    ids = build(workbook)
    ws = sla.workspace(workbook, ids.signed)
    assert ws.locked
    before = figures(workbook)
    with pytest.raises(LockedError, match="'HMP Risley SLA 2009-10' is signed and locked"):
        sla.update_lines(workbook, [FieldEdit(ws.lines[0].id, "volume", 21)])
    with pytest.raises(LockedError, match="locked"):
        sla.update_targets(workbook, ids.signed, [FieldEdit(ids.rate, "value", Decimal(80))])
    with pytest.raises(LockedError, match="unlock it explicitly"):
        sla.set_status(workbook, ids.signed_sla, AgreementStatus.DRAFT)
    assert figures(workbook) == before

    old = sla.unlock(workbook, ids.signed_sla, "Population pressure: reopening volumes")
    assert old is AgreementStatus.SIGNED
    assert sla.workspace(workbook, ids.signed).status is AgreementStatus.IN_NEGOTIATION
    sla.update_lines(workbook, [FieldEdit(ws.lines[0].id, "volume", 21)])
    with workbook.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "unlock")).one()
        assert (entry.entity, entry.entity_id, entry.old, entry.new) == (
            "agreement",
            ids.signed_sla,
            "Signed",
            "In negotiation",
        )
        assert entry.note == "Population pressure: reopening volumes"


def test_status_moves_forward_and_locks_when_agreed(workbook) -> None:
    ids = build(workbook)
    assert (
        sla.set_status(workbook, ids.prison_sla, AgreementStatus.AGREED)
        is AgreementStatus.IN_NEGOTIATION
    )
    assert sla.workspace(workbook, ids.prison).locked
    sla.set_status(workbook, ids.prison_sla, AgreementStatus.SIGNED)
    with pytest.raises(ValidationError, match="not locked"):
        sla.unlock(workbook, ids.charity_contract)
    # Undoing "mark agreed" is an unlock, and says so in the audit trail.
    sla.set_status(workbook, ids.prison_sla, AgreementStatus.IN_NEGOTIATION, unlock_note="Undo")
    with workbook.session() as s:
        assert s.scalars(select(AuditEntry.note).where(AuditEntry.action == "unlock")).all() == [
            "Undo"
        ]


def test_paste_checks_for_targets_run_before_anything_is_written(workbook) -> None:
    from dom_desk.domain.paste import PasteError, Selection, plan_paste

    ids = build(workbook)
    ws = sla.workspace(workbook, ids.prison)
    rows = sla.target_rows(ws)
    value_column = [c.key for c in sla.TARGET_COLUMNS].index("value")
    order = [r.id for r in rows]
    top = order.index(ids.rate)
    with pytest.raises(PasteError, match=r"Row \d \(PT 9\), Target: 65 is below"):
        plan_paste(
            sla.TARGET_COLUMNS,
            rows,
            Selection(top, value_column, top, value_column),
            "65",
            label=sla.target_label,
            check=sla.target_check(workbook, ws),
        )
    with workbook.session() as s:
        assert s.scalars(select(Target.value).where(Target.measure_id == ids.rate)).one() == 75


def test_the_workspace_shows_the_years_measures_that_providers_report(workbook) -> None:
    from dom_desk.domain.measures import create_measure
    from dom_desk.domain.region import ensure_year

    ids = build(workbook)
    with workbook.session() as s:
        ensure_year(s, "2010-11")
    create_measure(workbook, "KPT 10", "Later measure", "%", scope="Prison only", years=["2010-11"])
    create_measure(workbook, "KPT 2", "This year's", "%", scope="Prison only", years=["2009-10"])
    create_measure(
        workbook, "PSA 23", "Re-offending", "%", scope="Integrated", reported_by_providers=False
    )
    codes = [t.code for t in sla.workspace(workbook, ids.prison, "2009-10").targets]
    # In code order as people read it (KPT 2 before KPT 4), a measure of another year and
    # one providers do not report left out.
    assert codes == ["KPT 1", "KPT 2", "KPT 4", "PM 3", "PT 9"]
    later = [t.code for t in sla.workspace(workbook, ids.prison, "2010-11").targets]
    assert "KPT 10" in later and "KPT 2" not in later


def test_each_target_says_where_it_stands(workbook) -> None:
    ids = build(workbook)
    basis = {t.code: t.basis for t in sla.workspace(workbook, ids.prison).targets}
    assert basis == {
        "KPT 1": "to negotiate",
        "KPT 4": "national",
        "PM 3": "to negotiate",
        "PT 9": "in negotiation",  # 75, typed in an SLA still open
    }
    sla.set_status(workbook, ids.prison_sla, AgreementStatus.AGREED)
    assert {t.code: t.basis for t in sla.workspace(workbook, ids.prison).targets}["PT 9"] == (
        "agreed"
    )
