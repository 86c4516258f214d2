"""Adding and deleting records through the domain API: each one transaction, audited,
refused with the field named; a delete refuses when it would lose dependents, and what it
removed can be put back exactly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from dom_desk.domain import allocations, records
from dom_desk.domain.tables import AREAS, FieldEdit, load_rows, update_field
from dom_desk.errors import DomDeskError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    AuditEntry,
    EnvelopeLine,
    FundingSource,
    Level,
    Provider,
    ProviderKind,
    Sector,
)


def _values(wb: Any, area_key: str, row_id: int) -> dict[str, Any]:
    keys = [c.key for c in AREAS[area_key].columns]
    for row in load_rows(wb, area_key):
        if row.id == row_id:
            return dict(zip(keys, row.values, strict=True))
    raise AssertionError(f"no {area_key} record {row_id}")


def _ids(wb: Any, area_key: str) -> set[int]:
    return {row.id for row in load_rows(wb, area_key)}


def _provider(wb: Any, name: str = "HMP Garth") -> int:
    return records.create_provider(wb, name, ProviderKind.PUBLIC_PRISON, Sector.PUBLIC)


def _columns(wb: Any, model: Any, row_id: int) -> dict[str, Any]:
    with wb.session() as session:
        record = session.get(model, row_id)
        assert record is not None
        return {c.key: getattr(record, c.key) for c in model.__table__.columns}


# -- creating -----------------------------------------------------------------------------


def test_a_new_provider_is_listed_and_audited(workbook) -> None:
    new_id = records.create_provider(
        workbook, "  HMP  Garth ", "Public prison", "Public", operator="HMPS", capacity=846
    )
    shown = _values(workbook, "providers", new_id)
    assert (
        shown["name"],
        shown["kind"],
        shown["sector"],
        shown["operator"],
        shown["capacity"],
    ) == ("HMP Garth", ProviderKind.PUBLIC_PRISON, Sector.PUBLIC, "HMPS", 846)
    with workbook.session() as session:
        actions = session.execute(
            select(AuditEntry.action, AuditEntry.entity_id).where(AuditEntry.entity == "provider")
        ).all()
    assert ("insert", new_id) in actions


@pytest.mark.parametrize(
    ("name", "kind", "sector", "capacity", "field"),
    [
        ("", "Public prison", "Public", None, "New provider, Name"),
        ("HMP garth", "Public prison", "Public", None, "New provider, Name"),
        ("HMP Wolds", "Prison", "Public", None, "New provider, Kind"),
        ("HMP Wolds", "Contracted prison", "", None, "New provider, Sector"),
        ("HMP Wolds", "Contracted prison", "Private", -1, "New provider, Capacity (places)"),
    ],
)
def test_a_bad_provider_is_refused_naming_the_field(
    workbook, name, kind, sector, capacity, field
) -> None:
    _provider(workbook)
    before = _ids(workbook, "providers")
    with pytest.raises(ValidationError) as refused:
        records.create_provider(workbook, name, kind, sector, capacity=capacity)
    assert refused.value.where == field
    assert _ids(workbook, "providers") == before


def test_a_new_sla_comes_with_its_allocation_row_for_the_year(workbook) -> None:
    provider = _provider(workbook)
    sla = records.create_agreement(workbook, provider, "HMP Garth SLA 2009-10", "SLA")
    shown = _values(workbook, "agreements", sla)
    assert (shown["title"], shown["provider"], shown["kind"], shown["status"]) == (
        "HMP Garth SLA 2009-10",
        "HMP Garth",
        AgreementKind.SLA,
        AgreementStatus.DRAFT,
    )
    (line,) = allocations.position(workbook).lines
    assert (line.agreement_id, line.provider, line.baseline, line.provisional, line.agreed) == (
        sla,
        "HMP Garth",
        0,
        None,
        None,
    )


def test_a_new_contract_is_in_the_contracts_register(workbook) -> None:
    provider = records.create_provider(workbook, "HMP Doncaster", "Contracted prison", "Private")
    contract = records.create_contract(
        workbook,
        provider,
        "Doncaster operating contract",
        reference="C/01",
        start=date(1994, 6, 1),
        end=date(2010, 8, 31),
    )
    assert contract in _ids(workbook, "contracts")
    assert _values(workbook, "contracts", contract)["end"] == date(2010, 8, 31)
    assert [line.agreement_id for line in allocations.position(workbook).lines] == [contract]


def test_an_agreement_needs_a_provider_a_title_and_a_new_name(workbook) -> None:
    provider = _provider(workbook)
    records.create_agreement(workbook, provider, "Garth SLA", AgreementKind.SLA)
    for args, field in (
        ((None, "Garth SLA 2"), "New agreement, Provider"),
        ((provider, " "), "New agreement, Agreement"),
        ((provider, "garth sla"), "New agreement, Agreement"),
    ):
        with pytest.raises(ValidationError) as refused:
            records.create_agreement(workbook, *args)
        assert refused.value.where == field
    with pytest.raises(ValidationError, match="end before it starts") as refused:
        records.create_contract(
            workbook, provider, "Garth contract", start=date(2010, 4, 1), end=date(2009, 3, 31)
        )
    assert refused.value.where == "New contract, Original end"
    assert len(_ids(workbook, "agreements")) == 1
    assert len(allocations.position(workbook).lines) == 1


def test_the_envelope_of_a_new_region_can_be_entered(workbook) -> None:
    records.create_envelope_line(workbook, "NOMS allocation", 412_300_000_00)
    records.create_envelope_line(workbook, "Welsh Government", 1_500_000_00, notes="grant")
    assert allocations.position(workbook).envelope == 413_800_000_00
    # Budget tables print several lines from one source and negative adjustments.
    records.create_envelope_line(workbook, "noms allocation", -45_000_00, name="Centrally managed")
    assert allocations.position(workbook).envelope == 413_755_000_00
    for source, amount, field in (("", 1, "Funding source"), ("Other", None, "Amount")):
        with pytest.raises(ValidationError) as refused:
            records.create_envelope_line(workbook, source, amount)
        assert refused.value.where == f"New envelope line, {field}"
    assert allocations.position(workbook).envelope == 413_755_000_00


def test_a_milestone_takes_its_best_date_from_the_wording(workbook) -> None:
    new_id = records.create_milestone(
        workbook, "Publish the regional plan", reference="M1", due_text="March 2010"
    )
    shown = _values(workbook, "milestones", new_id)
    assert (shown["due_text"], shown["due"]) == ("March 2010", date(2010, 3, 31))
    with pytest.raises(ValidationError) as refused:
        records.create_milestone(workbook, "")
    assert refused.value.where == "New milestone, Milestone"


def test_a_risk_needs_a_new_reference_and_a_description(workbook) -> None:
    new_id = records.create_risk(workbook, "R1", "Budget cut", "M", Level.H, owner="DOM")
    assert _values(workbook, "risks", new_id)["score"] == 19
    for args, field in (
        (("R1", "Another", "L", "L"), "New risk, Ref"),
        (("R2", "", "L", "L"), "New risk, Risk"),
        (("R2", "Another", "Q", "L"), "New risk, Likelihood"),
    ):
        with pytest.raises(ValidationError) as refused:
            records.create_risk(workbook, *args)
        assert refused.value.where == field
    assert _ids(workbook, "risks") == {new_id}


def test_create_takes_a_forms_answers(workbook) -> None:
    provider = records.create(
        workbook,
        "providers",
        {
            "name": "Merseyside Probation Trust",
            "kind": ProviderKind.PROBATION_TRUST,
            "sector": Sector.PUBLIC,
            "operator": "",
            "capacity": None,
        },
    )
    sla = records.create(
        workbook,
        "agreements",
        {
            "provider_id": provider,
            "title": "Merseyside SLA",
            "kind": AgreementKind.SLA,
            "reference": "",
        },
        "2009-10",
    )
    assert _values(workbook, "agreements", sla)["provider"] == "Merseyside Probation Trust"
    assert set(records.FORMS) == {
        "providers",
        "agreements",
        "contracts",
        "milestones",
        "risks",
        "envelope",
        "measures",
        "services",
        "priorities",
    }


# -- deleting -----------------------------------------------------------------------------


def _demo_provider_with_agreements(demo: Any) -> tuple[int, str]:
    with demo.session() as session:
        provider = session.scalars(
            select(Provider).join(Agreement, Agreement.provider_id == Provider.id)
        ).first()
        return provider.id, provider.name


def test_a_provider_with_agreements_and_targets_is_not_deleted(demo) -> None:
    provider, name = _demo_provider_with_agreements(demo)
    with pytest.raises(ValidationError) as refused:
        records.delete(demo, "providers", provider)
    message = str(refused.value)
    assert f"Provider '{name}' cannot be deleted" in message
    assert "agreement" in message and "target" in message
    assert provider in _ids(demo, "providers")
    with pytest.raises(ValidationError):
        records.check_delete(demo, "providers", provider)


def test_a_signed_agreement_cannot_be_deleted_nor_one_with_service_lines(demo) -> None:
    with demo.session() as session:
        signed = session.scalars(
            select(Agreement.id).where(Agreement.status == AgreementStatus.SIGNED)
        ).first()
        open_one = session.scalars(
            select(Agreement.id).where(Agreement.status == AgreementStatus.IN_NEGOTIATION)
        ).first()
    with pytest.raises(LockedError, match="signed"):
        records.delete(demo, "agreements", signed)
    with pytest.raises(ValidationError, match="service line") as refused:
        records.delete(demo, "agreements", open_one)
    assert "allocation" in str(refused.value)
    with demo.session() as session:
        assert session.get(Agreement, signed) and session.get(Agreement, open_one)


def test_a_deleted_provider_is_put_back_exactly(workbook) -> None:
    provider = records.create_provider(
        workbook, "HMP Garth", "Public prison", "Public", operator="HMPS", capacity=846
    )
    update_field(workbook, "providers", provider, "notes", "Cat B")  # version 2
    before = _columns(workbook, Provider, provider)
    assert before["row_version"] == 2

    deleted = records.delete(workbook, "providers", provider)
    assert deleted.label == "HMP Garth"
    assert provider not in _ids(workbook, "providers")
    assert records.restore(workbook, deleted) == provider
    assert _columns(workbook, Provider, provider) == before
    with workbook.session() as session:
        actions = [
            a
            for (a,) in session.execute(
                select(AuditEntry.action).where(
                    AuditEntry.entity == "provider", AuditEntry.entity_id == provider
                )
            )
        ]
    assert actions[-4:] == ["delete", "delete record", "insert", "restore record"]


def test_a_new_agreement_is_deleted_with_its_empty_allocation_and_put_back(workbook) -> None:
    provider = _provider(workbook)
    sla = records.create_agreement(workbook, provider, "Garth SLA")
    (line,) = allocations.position(workbook).lines
    agreement_before = _columns(workbook, Agreement, sla)
    allocation_before = _columns(workbook, Allocation, line.id)

    deleted = records.delete(workbook, "agreements", sla)
    assert allocations.position(workbook).lines == ()
    records.restore(workbook, deleted)
    assert _columns(workbook, Agreement, sla) == agreement_before
    assert _columns(workbook, Allocation, line.id) == allocation_before


def test_an_agreement_whose_allocation_has_figures_is_kept(workbook) -> None:
    provider = _provider(workbook)
    sla = records.create_agreement(workbook, provider, "Garth SLA")
    (line,) = allocations.position(workbook).lines
    allocations.update_allocations(workbook, [FieldEdit(line.id, "baseline", 100_000_00)])
    with pytest.raises(ValidationError, match="1 allocation with figures"):
        records.delete(workbook, "agreements", sla)
    with pytest.raises(ValidationError, match="1 agreement"):
        records.delete(workbook, "providers", provider)


def test_an_envelope_line_goes_but_its_funding_source_stays_listed(workbook) -> None:
    """Undoing the line that reused a source nobody used must leave the source there."""
    with workbook.session() as session:
        session.add(FundingSource(name="NOMS allocation"))
    line = records.create_envelope_line(workbook, "NOMS allocation", 400_000_00)
    deleted = records.delete(workbook, "envelope", line)
    with workbook.session() as session:
        assert [s.name for s in session.scalars(select(FundingSource))] == ["NOMS allocation"]
    records.restore(workbook, deleted)
    assert allocations.position(workbook).envelope == 400_000_00
    assert _columns(workbook, EnvelopeLine, line)["amount"] == 400_000_00


def test_a_record_cannot_be_put_back_over_a_new_one_with_its_name(workbook) -> None:
    provider = _provider(workbook)
    deleted = records.delete(workbook, "providers", provider)
    _provider(workbook)  # the same name again (and, in SQLite, maybe the same id)
    with pytest.raises(DomDeskError, match="cannot be put back"):
        records.restore(workbook, deleted)
    assert len(_ids(workbook, "providers")) == 1


def test_milestones_and_risks_can_be_deleted_and_put_back(workbook) -> None:
    milestone = records.create_milestone(workbook, "Plan", due_text="March 2010")
    risk = records.create_risk(workbook, "R1", "Budget cut", "M", "H")
    for area_key, row_id in (("milestones", milestone), ("risks", risk)):
        before = _values(workbook, area_key, row_id)
        deleted = records.delete(workbook, area_key, row_id)
        assert row_id not in _ids(workbook, area_key)
        records.restore(workbook, deleted)
        assert _values(workbook, area_key, row_id) == before


def test_a_deleted_records_id_is_never_given_to_a_new_one(workbook) -> None:
    """SQLite reuses the highest id once it is deleted: the new record would then show
    the deleted one's history and key dates as its own."""
    from dom_desk.domain.audit_trail import read_entries

    first = records.create_provider(workbook, "Nacro", "Voluntary and community sector", "Third")
    records.delete(workbook, "providers", first)
    second = records.create_provider(workbook, "Sova", "Voluntary and community sector", "Third")
    assert second != first
    history = read_entries(workbook, entity="provider", entity_id=second)
    assert history and all(line.record == "Sova" for line in history)
    assert not [line for line in history if "Nacro" in (line.old or "")]
    for area_key, make in (
        ("milestones", lambda: records.create_milestone(workbook, "Plan")),
        ("risks", lambda: records.create_risk(workbook, "R9", "Cut", "M", "H")),
    ):
        made = make()
        records.delete(workbook, area_key, made)
        assert make() != made
