"""Adding and deleting records: providers, agreements, envelope lines, milestones, risks,
measures, services and priorities.

Each call takes the workbook and is one transaction, audited by the session's hooks
(``storage/audit.py``). ``forms`` says what a "New…" form asks; ``creating`` adds a
record; ``deleting`` deletes one (refusing when something depends on it) and puts it back.
"""

from dom_desk.domain.records.by_area import create
from dom_desk.domain.records.creating import (
    create_agreement,
    create_contract,
    create_envelope_line,
    create_milestone,
    create_priority,
    create_provider,
    create_risk,
)
from dom_desk.domain.records.deleting import Deleted, can_delete, check_delete, delete, restore
from dom_desk.domain.records.forms import FORMS, NOUNS, Field, can_create, options
from dom_desk.domain.records.reference_records import create_measure_record, create_service

__all__ = [
    "FORMS",
    "NOUNS",
    "Deleted",
    "Field",
    "can_create",
    "can_delete",
    "check_delete",
    "create",
    "create_agreement",
    "create_contract",
    "create_envelope_line",
    "create_measure_record",
    "create_milestone",
    "create_priority",
    "create_provider",
    "create_service",
    "create_risk",
    "delete",
    "options",
    "restore",
]
