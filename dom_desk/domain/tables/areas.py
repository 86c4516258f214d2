"""The window's areas: for each, its records, its columns and which of them can be typed in."""

from __future__ import annotations

from decimal import Decimal

from dom_desk.domain import contracts
from dom_desk.domain.periods import period_label
from dom_desk.domain.tables import derived, loaders
from dom_desk.domain.tables.reference import MEASURES, PRIORITIES, SERVICES
from dom_desk.domain.tables.spec import Area, Column
from dom_desk.domain.values import Kind
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Competition,
    CompetitionKind,
    Level,
    Milestone,
    PaymentMechanism,
    Provider,
    ProviderKind,
    Result,
    Risk,
    RiskStatus,
    Sector,
)

MONEY = Kind.MONEY

AREAS: dict[str, Area] = {
    area.key: area
    for area in (
        Area(
            "providers",
            "Providers",
            Provider,
            (
                Column("name", "Name", editable=True, required=True),
                Column(
                    "kind", "Kind", Kind.CHOICE, editable=True, choices=ProviderKind, required=True
                ),
                Column(
                    "sector", "Sector", Kind.CHOICE, editable=True, choices=Sector, required=True
                ),
                Column("operator", "Operator", editable=True),
                Column("capacity", "Capacity (places)", Kind.INTEGER, editable=True, minimum=0),
                Column("contact", "Contact", editable=True),
                Column(
                    "aliases",
                    "Other names in returns",
                    Kind.LONG_TEXT,
                    editable=True,
                    detail_only=True,
                ),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
                Column(
                    "actions",
                    "Performance actions open",
                    Kind.LONG_TEXT,
                    get=derived.provider_actions,
                    detail_only=True,
                ),
            ),
            loaders.providers,
        ),
        SERVICES,
        MEASURES,
        Area(
            "agreements",
            "Agreements",
            Agreement,
            (
                Column("title", "Agreement", editable=True, required=True),
                Column("provider", "Provider", get=derived.provider_name),
                Column("kind", "Type", Kind.CHOICE, choices=AgreementKind),
                Column(
                    "status",
                    "Status",
                    Kind.CHOICE,
                    editable=True,
                    choices=AgreementStatus,
                    required=True,
                ),
                Column("value", "Service lines value", MONEY, get=derived.agreement_value),
                Column("negotiation_deadline", "Negotiation deadline", Kind.DATE, editable=True),
                Column("reference", "Reference", editable=True, detail_only=True),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            loaders.agreements,
            label_key="title",
        ),
        Area(
            "allocations",
            "Allocations",
            Allocation,
            (
                Column("provider", "Provider", get=lambda a, _c: a.agreement.provider.name),
                Column("agreement", "Agreement", get=lambda a, _c: a.agreement.title),
                Column(
                    "line",
                    "Service line",
                    get=lambda a, _c: a.service_line.service.name if a.service_line else "",
                ),
                Column("baseline", "Baseline", MONEY, editable=True, required=True, minimum=0),
                Column("provisional", "Provisional", MONEY, editable=True, minimum=0),
                Column("agreed", "Agreed", MONEY, editable=True, minimum=0),
                Column("variance", "Variance £", MONEY, get=derived.alloc_variance),
                Column("variance_pct", "Variance %", Kind.PERCENT, get=derived.alloc_variance_pct),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            loaders.allocations,
            label_key="agreement",
        ),
        Area(
            "contracts",
            "Contracts",
            Agreement,
            (
                Column("reference", "Reference", editable=True),
                Column("provider", "Provider", get=derived.provider_name),
                Column("title", "Contract", editable=True, required=True),
                # The original dates and the manager are in the detail pane: on a laptop the
                # table keeps room for the names, the current terms and the money.
                Column("start", "Start", Kind.DATE, editable=True, detail_only=True),
                Column("end", "Original end", Kind.DATE, editable=True, detail_only=True),
                Column(
                    "current_end",
                    "Current end",
                    Kind.DATE,
                    get=lambda a, _c: contracts.current_end(a),
                ),
                Column("notice_months", "Notice (months)", Kind.INTEGER, editable=True, minimum=0),
                Column(
                    "notice_date",
                    "Notice by",
                    Kind.DATE,
                    get=lambda a, _c: contracts.notice_date(a),
                ),
                Column(
                    "current_value",
                    "Annual value",
                    MONEY,
                    get=lambda a, _c: contracts.current_value(a),
                ),
                Column(
                    "whole_life",
                    "Whole-life value",
                    MONEY,
                    get=lambda a, _c: contracts.whole_life_value(a),
                ),
                Column(
                    "payment_mechanism",
                    "Payment",
                    Kind.CHOICE,
                    editable=True,
                    choices=PaymentMechanism,
                    required=True,
                ),
                Column("contract_manager", "Contract manager", editable=True, detail_only=True),
                Column(
                    "status",
                    "Status",
                    Kind.CHOICE,
                    editable=True,
                    choices=AgreementStatus,
                    required=True,
                ),
                Column(
                    "annual_value",
                    "Original annual value",
                    MONEY,
                    editable=True,
                    minimum=0,
                    detail_only=True,
                ),
                Column(
                    "pbr_share",
                    "Payment-by-results share",
                    Kind.PERCENT,
                    editable=True,
                    minimum=Decimal(0),
                    detail_only=True,
                ),
                Column(
                    "extension_options",
                    "Extension options",
                    Kind.LONG_TEXT,
                    editable=True,
                    detail_only=True,
                ),
                Column(
                    "break_clauses",
                    "Break clauses",
                    Kind.LONG_TEXT,
                    editable=True,
                    detail_only=True,
                ),
            ),
            loaders.contracts,
            label_key="title",
        ),
        Area(
            "competitions",
            "Competitions",
            Competition,
            (
                Column("subject", "Subject", editable=True, required=True),
                Column(
                    "kind",
                    "Type",
                    Kind.CHOICE,
                    editable=True,
                    choices=CompetitionKind,
                    required=True,
                ),
                Column("expiry", "Current agreement expires", Kind.DATE, editable=True),
                Column("expiry_text", "Expiry as written", editable=True),
                Column("next_stage", "Next stage", get=derived.stage_summary),
                Column("next_date", "Next stage due", Kind.DATE, get=derived.next_stage_date),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            loaders.competitions,
            label_key="subject",
        ),
        Area(
            "performance",
            "Performance",
            Result,
            (
                Column("period", "Period", get=lambda r, _c: period_label(r.period.code)),
                Column("provider", "Provider", get=derived.provider_name),
                Column("code", "Code", get=lambda r, _c: r.measure.code),
                Column("measure", "Measure", get=lambda r, _c: r.measure.title),
                Column("actual", "Actual", Kind.DECIMAL, editable=True),
                Column("target", "Target", Kind.DECIMAL, get=derived.result_target),
                Column("status", "Status", get=derived.result_status),
                Column("numerator", "Numerator", Kind.DECIMAL, editable=True, minimum=Decimal(0)),
                Column(
                    "denominator", "Denominator", Kind.DECIMAL, editable=True, minimum=Decimal(0)
                ),
                Column("source", "Source"),
                Column("commentary", "Commentary", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            loaders.results,
            label_key="code",
        ),
        PRIORITIES,
        Area(
            "risks",
            "Risks",
            Risk,
            (
                Column("reference", "Ref", editable=True, required=True),
                Column("description", "Risk", Kind.LONG_TEXT, editable=True, required=True),
                Column(
                    "likelihood",
                    "Likelihood",
                    Kind.CHOICE,
                    editable=True,
                    choices=Level,
                    required=True,
                ),
                Column(
                    "impact", "Impact", Kind.CHOICE, editable=True, choices=Level, required=True
                ),
                Column("score", "Score", Kind.INTEGER, get=derived.risk_score),
                Column("owner", "Owner", editable=True),
                Column("review", "Review date", Kind.DATE, editable=True),
                Column(
                    "status",
                    "Status",
                    Kind.CHOICE,
                    editable=True,
                    choices=RiskStatus,
                    required=True,
                ),
                Column(
                    "mitigations", "Mitigations", Kind.LONG_TEXT, editable=True, detail_only=True
                ),
            ),
            loaders.risks,
            label_key="reference",
        ),
        Area(
            "milestones",
            "Milestones",
            Milestone,
            (
                Column("reference", "Ref", editable=True),
                Column("title", "Milestone", Kind.LONG_TEXT, editable=True, required=True),
                Column("owner", "Owner", editable=True),
                Column("due_text", "Delivery date as written", editable=True),
                Column("due", "Best date", Kind.DATE, editable=True),
                Column("done", "Done", Kind.DATE, editable=True),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            loaders.milestones,
            label_key="title",
        ),
    )
}


def area(key: str) -> Area:
    try:
        return AREAS[key]
    except KeyError:
        raise ValidationError(f"There is no area '{key}'") from None
