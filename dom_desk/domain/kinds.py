"""The domain's enumerations, for the window and the command line.

They are defined beside the tables that store them (``dom_desk.models``); callers above
the domain import them from here, so that nothing above the domain needs the ORM.
"""

from dom_desk.models import (
    ActionStage,
    Aggregation,
    AgreementKind,
    AgreementStatus,
    BidderStatus,
    CompetitionKind,
    CriterionKind,
    DemandKind,
    Direction,
    Guidance,
    Level,
    MeasureUnit,
    OptionKind,
    Pathway,
    PaymentMechanism,
    PaymentRuleKind,
    PeriodKind,
    ProviderKind,
    RiskStatus,
    ScenarioStatus,
    Scope,
    Sector,
    Stage,
    VariationKind,
)

__all__ = [
    "ActionStage",
    "DemandKind",
    "PaymentRuleKind",
    "AgreementKind",
    "BidderStatus",
    "CriterionKind",
    "AgreementStatus",
    "Aggregation",
    "CompetitionKind",
    "Direction",
    "Guidance",
    "Level",
    "MeasureUnit",
    "OptionKind",
    "Pathway",
    "PaymentMechanism",
    "PeriodKind",
    "ProviderKind",
    "RiskStatus",
    "ScenarioStatus",
    "Scope",
    "Sector",
    "Stage",
    "VariationKind",
]
