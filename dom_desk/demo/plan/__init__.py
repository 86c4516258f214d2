"""The demo's plan: commissioning intentions, competitions, milestones and risk register.

Competitions are the North West items of the 2009-10 timetable (seed 000, para 65); the
risks are the 23 of the NPS 2005-06 summary register (seed 001, Annex C), adapted to the
region, with likelihood and impact as printed. Owners are roles, never people.

By subject: ``roles``, ``priorities``, ``competitions``, ``milestones``, ``risks``.
"""

from dom_desk.demo.plan.competitions import (
    COMPETITIONS_2009,
    TBC,
    CompetitionRow,
    StageRow,
)
from dom_desk.demo.plan.milestones import MILESTONES, MilestoneRow
from dom_desk.demo.plan.priorities import PRIORITIES, PriorityRow
from dom_desk.demo.plan.risks import RISKS, RiskRow
from dom_desk.demo.plan.roles import (
    COMMISSIONING,
    COMPETITIONS,
    CONTRACTS,
    DOM,
    FINANCE,
    PARTNERSHIPS,
    PERFORMANCE,
)

__all__ = [
    "COMMISSIONING",
    "COMPETITIONS",
    "COMPETITIONS_2009",
    "CONTRACTS",
    "CompetitionRow",
    "DOM",
    "FINANCE",
    "MILESTONES",
    "MilestoneRow",
    "PARTNERSHIPS",
    "PERFORMANCE",
    "PRIORITIES",
    "PriorityRow",
    "RISKS",
    "RiskRow",
    "StageRow",
    "TBC",
]
