"""The workbook's tables as SQLAlchemy 2.x typed models. No Qt here."""

from dom_desk.models.agreements import (
    Agreement,
    Allocation,
    EnvelopeLine,
    FundingSource,
    ServiceLine,
    Variation,
)
from dom_desk.models.audit import AuditEntry
from dom_desk.models.base import (
    Aggregation,
    AgreementKind,
    AgreementStatus,
    Base,
    CompetitionKind,
    Direction,
    Guidance,
    Level,
    MeasureUnit,
    Pathway,
    PaymentMechanism,
    PeriodKind,
    ProviderKind,
    RiskStatus,
    Scope,
    Sector,
    Stage,
    VariationKind,
)
from dom_desk.models.key_dates import ContractOption, KeyDateDone, OptionKind
from dom_desk.models.performance import Measure, Result, Submission, Target
from dom_desk.models.plan import PlanExport, PlanSection
from dom_desk.models.planning import (
    Competition,
    CompetitionStage,
    Milestone,
    Risk,
    RiskScore,
)
from dom_desk.models.providers import Provider, Service
from dom_desk.models.region import FinancialYear, Period, Priority, Region, Setting
from dom_desk.models.scenarios import Scenario, ScenarioChange, ScenarioStatus

__all__ = [
    "Agreement", "AgreementKind", "AgreementStatus", "Aggregation", "Allocation",
    "AuditEntry", "Base", "Competition", "CompetitionKind", "CompetitionStage",
    "Direction", "EnvelopeLine", "FinancialYear", "FundingSource", "Guidance", "Level",
    "Measure", "MeasureUnit", "Milestone", "Pathway", "PaymentMechanism", "Period",
    "PeriodKind", "Priority", "Provider", "ProviderKind", "Region", "Result", "Risk",
    "RiskScore", "RiskStatus", "Scope", "Sector", "Service", "ServiceLine", "Setting",
    "Stage", "Submission", "Target", "Variation", "VariationKind",
    "ContractOption", "KeyDateDone", "OptionKind",
    "Scenario", "ScenarioChange", "ScenarioStatus",
    "PlanExport", "PlanSection",
]
