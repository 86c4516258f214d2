"""The Services and Priorities areas through the domain: New, edits and Delete, each one
transaction in the audit trail; names and numbers already taken refused by sentence
naming the field; a service is not deleted while service lines buy it; priorities are
the shown year's, and deleting one unlinks its milestones until it is put back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from dom_desk.domain import records
from dom_desk.domain.region import ensure_year, year_by_label
from dom_desk.domain.tables import AREAS, load_rows, update_field
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AuditEntry,
    Milestone,
    Pathway,
    ProviderKind,
    Sector,
    Service,
    ServiceLine,
)


def _values(wb: Any, area_key: str, row_id: int, year: str | None = None) -> dict[str, Any]:
    keys = [c.key for c in AREAS[area_key].columns]
    for row in load_rows(wb, area_key, year):
        if row.id == row_id:
            return dict(zip(keys, row.values, strict=True))
    raise AssertionError(f"no {area_key} record {row_id}")


def _audited(wb: Any, entity: str) -> list[str]:
    with wb.session() as session:
        return list(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == entity)))


def _line(wb: Any, service_id: int, unit_price: int, year: str = "2009-10") -> None:
    provider = records.create_provider(
        wb, f"Provider {unit_price}", ProviderKind.PROBATION_TRUST, Sector.PUBLIC
    )
    agreement = records.create_agreement(wb, provider, f"SLA {unit_price}", AgreementKind.SLA)
    with wb.session() as session:
        session.add(
            ServiceLine(
                agreement_id=agreement,
                service_id=service_id,
                year_id=year_by_label(session, year).id,
                volume=10,
                unit_price=unit_price,
            )
        )


# -- services -----------------------------------------------------------------------------


def test_a_new_service_is_listed_with_what_the_year_pays_for_it(workbook) -> None:
    service = records.create(
        workbook,
        "services",
        {
            "name": " Approved  premises ",
            "pathway": Pathway.ACCOMMODATION,
            "unit": "bed",
            "target_unit_cost": 2_600_000,
        },
    )
    shown = _values(workbook, "services", service)
    assert (shown["name"], shown["pathway"], shown["unit"], shown["target_unit_cost"]) == (
        "Approved premises",
        Pathway.ACCOMMODATION,
        "bed",
        2_600_000,
    )
    assert (shown["lines"], shown["lowest"], shown["highest"]) == (0, None, None)
    _line(workbook, service, 2_500_000)
    _line(workbook, service, 2_750_000)
    shown = _values(workbook, "services", service)
    assert (shown["lines"], shown["lowest"], shown["highest"]) == (2, 2_500_000, 2_750_000)
    assert "insert" in _audited(workbook, "service")


def test_a_services_fields_are_written_and_audited(workbook) -> None:
    service = records.create_service(workbook, "Hostels")
    for key, value in {
        "name": "Approved premises",
        "pathway": Pathway.ACCOMMODATION,
        "unit": "bed",
        "target_unit_cost": 2_600_000,
        "minimum_quality": "24-hour staffed",
        "outputs": "Bed places for high-risk offenders",
    }.items():
        update_field(workbook, "services", service, key, value)
        assert _values(workbook, "services", service)[key] == value
    assert _audited(workbook, "service").count("update") == 6


def test_a_service_name_already_taken_is_refused_naming_the_field(workbook) -> None:
    records.create_service(workbook, "Approved premises")
    other = records.create_service(workbook, "Hostels")
    with pytest.raises(ValidationError) as refused:
        update_field(workbook, "services", other, "name", "APPROVED PREMISES")
    assert refused.value.where == "Services, 'Hostels', Service"
    assert "already a service 'Approved premises'" in str(refused.value)
    assert _values(workbook, "services", other)["name"] == "Hostels"
    with pytest.raises(ValidationError) as new:
        records.create(workbook, "services", {"name": "hostels"})
    assert new.value.where == "New service, Service"
    with pytest.raises(ValidationError, match="cannot be negative"):
        update_field(workbook, "services", other, "target_unit_cost", -1)


def test_a_service_bought_by_service_lines_is_not_deleted(workbook) -> None:
    service = records.create_service(workbook, "Approved premises")
    _line(workbook, service, 2_500_000)
    with pytest.raises(DomDeskError) as refused:
        records.check_delete(workbook, "services", service)
    assert str(refused.value) == (
        "Service 'Approved premises' cannot be deleted: 1 service line of 2009-10 buys it. "
        "Delete those lines first, or keep the service."
    )
    with workbook.session() as session:
        assert session.get(Service, service) is not None


def test_an_unused_service_is_deleted_and_put_back(workbook) -> None:
    service = records.create_service(workbook, "Hostels", unit="bed")
    deleted = records.delete(workbook, "services", service)
    assert [r.id for r in load_rows(workbook, "services")] == []
    records.restore(workbook, deleted)
    assert _values(workbook, "services", service)["unit"] == "bed"


# -- priorities ---------------------------------------------------------------------------


def test_new_priorities_are_numbered_next_in_their_year(workbook) -> None:
    with workbook.session() as session:
        ensure_year(session, "2010-11")
    first = records.create_priority(workbook, "Protect the public")
    second = records.create(workbook, "priorities", {"title": "Reduce re-offending"})
    later = records.create(workbook, "priorities", {"title": "Women offenders"}, "2010-11")
    assert [(r.id, r.values[0]) for r in load_rows(workbook, "priorities", "2009-10")] == [
        (first, 1),
        (second, 2),
    ]
    assert [(r.id, r.values[0]) for r in load_rows(workbook, "priorities", "2010-11")] == [
        (later, 1)
    ]
    assert _audited(workbook, "priority").count("insert") == 3
    with pytest.raises(ValidationError) as taken:
        records.create_priority(workbook, "Again", number=2)
    assert taken.value.where == "New priority, No."
    assert "already 'Reduce re-offending'" in str(taken.value)


def test_a_priority_number_taken_in_its_year_is_refused(workbook) -> None:
    records.create_priority(workbook, "Protect the public")
    second = records.create_priority(workbook, "Reduce re-offending")
    with pytest.raises(ValidationError) as refused:
        update_field(workbook, "priorities", second, "number", 1)
    assert refused.value.where == "Priorities, 'Reduce re-offending', No."
    assert "priority 1 of 2009-10 is already 'Protect the public'" in str(refused.value)
    with pytest.raises(ValidationError, match="1 or more"):
        update_field(workbook, "priorities", second, "number", 0)
    update_field(workbook, "priorities", second, "number", 5)
    update_field(workbook, "priorities", second, "provider_response", "Agreed")
    assert _values(workbook, "priorities", second)["number"] == 5
    assert _values(workbook, "priorities", second)["provider_response"] == "Agreed"


def test_deleting_a_priority_unlinks_its_milestones_and_undo_links_them_again(workbook) -> None:
    priority = records.create_priority(workbook, "Protect the public")
    milestone = records.create_milestone(workbook, "Security audit")
    with workbook.session() as session:
        session.get(Milestone, milestone).priority_id = priority
    deleted = records.delete(workbook, "priorities", priority)
    with workbook.session() as session:
        assert session.get(Milestone, milestone).priority_id is None
    assert load_rows(workbook, "priorities") == []
    records.restore(workbook, deleted)
    with workbook.session() as session:
        assert session.get(Milestone, milestone).priority_id == priority
    assert _values(workbook, "priorities", priority)["title"] == "Protect the public"


def test_the_agreement_a_service_line_belongs_to_is_untouched_by_service_edits(
    workbook,
) -> None:
    service = records.create_service(workbook, "Hostels")
    _line(workbook, service, 100)
    update_field(workbook, "services", service, "target_unit_cost", 200)
    with workbook.session() as session:
        line = session.scalars(select(ServiceLine)).one()
        assert line.unit_price == 100  # the price agreed stays what it was
        assert session.get(Agreement, line.agreement_id) is not None
