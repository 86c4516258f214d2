"""The risk register: the 23 risks of the NPS 2005-06 summary register (seed 001, Annex C),
adapted to the region, with likelihood and impact as printed.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dom_desk.demo.plan.roles import (
    COMMISSIONING,
    CONTRACTS,
    DOM,
    FINANCE,
    PARTNERSHIPS,
    PERFORMANCE,
)
from dom_desk.models import Level, RiskStatus


class RiskRow(NamedTuple):
    #: The number printed in the NPS register (R07 is its risk 7).
    number: int
    description: str
    likelihood: Level
    impact: Level
    #: The score printed beside it: the default matrix must give the same.
    printed_score: int
    owner: str
    mitigations: str
    review: date
    priority: int | None
    status: RiskStatus = RiskStatus.OPEN

    @property
    def reference(self) -> str:
        return f"R{self.number:02d}"


_L, _M, _H, _VH = Level.L, Level.M, Level.H, Level.VH

RISKS: tuple[RiskRow, ...] = (
    RiskRow(
        1,
        "Industrial action or work to rule in prisons or probation disrupts service "
        "delivery in the region",
        _M,
        _M,
        14,
        PERFORMANCE,
        "Contingency plans agreed with each provider; regional incident line.",
        date(2009, 12, 1),
        1,
    ),
    RiskRow(
        2,
        "Loss of key skills in probation providers results in inadequate supervision "
        "of dangerous offenders",
        _H,
        _VH,
        24,
        COMMISSIONING,
        "Workforce plans in SLAs; monitor vacancy rates for qualified officers monthly.",
        date(2009, 10, 15),
        1,
    ),
    RiskRow(
        3,
        "Providers and partners without Government Secure Intranet (GSI) connection "
        "limit cross-CJS information sharing and joined-up working",
        _VH,
        _VH,
        25,
        DOM,
        "Connection plan for Trusts and VCS partners; secure email interim arrangement.",
        date(2009, 11, 30),
        1,
    ),
    RiskRow(
        4,
        "Failure to share confidential information appropriately with partners damages reputation",
        _L,
        _VH,
        20,
        COMMISSIONING,
        "Information sharing protocols in every contract; data protection audit.",
        date(2010, 1, 15),
        1,
    ),
    RiskRow(
        5,
        "Inadequate supervision of cases leads to a serious further offence, "
        "high-profile media attention and unmanageable policy making",
        _H,
        _VH,
        24,
        PERFORMANCE,
        "PT 1 and PT 3 monitored monthly; serious further offence reviews shared across areas.",
        date(2009, 9, 30),
        1,
    ),
    RiskRow(
        6,
        "Unclear NOMS accountabilities undermine local public protection partnerships (MAPPA)",
        _L,
        _L,
        5,
        DOM,
        "MAPPA strategic management board attendance.",
        date(2010, 3, 31),
        1,
    ),
    RiskRow(
        7,
        "Lack of programme management for NOMS change (DOM structure, Trust "
        "transition) causes uncertainty and a drop in performance",
        _M,
        _H,
        19,
        DOM,
        "Regional change board; transition plans for the three Boards becoming Trusts.",
        date(2009, 10, 30),
        4,
    ),
    RiskRow(
        8,
        "Separating offender management from interventions diminishes providers' "
        "ability to deliver",
        _L,
        _L,
        5,
        COMMISSIONING,
        "Interventions bought through the same SLA as offender management.",
        date(2009, 6, 30),
        2,
        RiskStatus.CLOSED,
    ),
    RiskRow(
        9,
        "Insufficient priority to interventions capacity leaves programmes and DRR "
        "non-viable in smaller areas",
        _M,
        _H,
        19,
        COMMISSIONING,
        "Cross-area delivery (Addaction in Cumbria and Lancashire); volumes set in SLAs.",
        date(2009, 11, 20),
        2,
    ),
    RiskRow(
        10,
        "Fragmentation from the change programme loses the chance to integrate "
        "voluntary, private and statutory services regionally and locally",
        _M,
        _M,
        14,
        PARTNERSHIPS,
        "Third sector engagement plan; VCS contracts aligned to pathways.",
        date(2010, 2, 26),
        3,
    ),
    RiskRow(
        11,
        "Failure to deliver the diversity agenda loses staff and stakeholder "
        "confidence and invites litigation",
        _M,
        _L,
        8,
        DOM,
        "Regional minimum for ethnic minority staff (KPI 13); equality impact assessments.",
        date(2010, 1, 29),
        None,
    ),
    RiskRow(
        12,
        "Inadequate workforce planning for offender management loses sentencers' confidence",
        _M,
        _H,
        19,
        COMMISSIONING,
        "Report timeliness (PT 5) reviewed with courts quarterly.",
        date(2009, 10, 1),
        6,
    ),
    RiskRow(
        13,
        "Poor contract letting or contract management leads to sub-optimal service",
        _M,
        _M,
        14,
        CONTRACTS,
        "Contract management framework; key dates watched; variations recorded.",
        date(2009, 12, 15),
        4,
    ),
    RiskRow(
        14,
        "Inadequate provider involvement in developing NOMIS leads to poor "
        "acceptance, reduced benefit and extra cost",
        _L,
        _M,
        11,
        PERFORMANCE,
        "Regional user group; early adopter prisons.",
        date(2010, 3, 1),
        None,
    ),
    RiskRow(
        15,
        "Failure to maintain legacy case management systems until replacement jeopardises delivery",
        _L,
        _L,
        5,
        PERFORMANCE,
        "Support contracts extended to 2011.",
        date(2010, 3, 31),
        None,
    ),
    RiskRow(
        16,
        "Sentencers do not follow Sentencing Guidelines Council guidance on community "
        "order requirements, overloading probation areas",
        _M,
        _VH,
        21,
        DOM,
        "Sentencer liaison through Local Criminal Justice Boards; PM 3 monitored.",
        date(2009, 11, 13),
        6,
    ),
    RiskRow(
        17,
        "Failure to rebalance sentencing leaves low-level cases on probation "
        "caseloads, overloading areas",
        _M,
        _H,
        19,
        COMMISSIONING,
        "Tiering of cases; fast delivery reports for low-risk offenders.",
        date(2010, 1, 8),
        6,
    ),
    RiskRow(
        18,
        "Inability to prepare for rising custody demand in the region",
        _H,
        _H,
        22,
        DOM,
        "Capacity plan with the population management unit; Forest Bank expansion.",
        date(2009, 10, 23),
        1,
    ),
    RiskRow(
        19,
        "Lack of intelligent client (commissioning) capacity in the DOM's team leads "
        "to inadequate understanding of provider and offender needs",
        _M,
        _H,
        19,
        DOM,
        "Commissioning training; needs analysis with the regional offender health team.",
        date(2010, 2, 1),
        4,
    ),
    RiskRow(
        20,
        "Inadequate co-ordination between workforce planning and support services "
        "leaves providers unable to deliver",
        _M,
        _M,
        14,
        FINANCE,
        "Shared service centre transition monitored by the regional change board.",
        date(2010, 3, 12),
        None,
    ),
    RiskRow(
        21,
        "Inability to work with other criminal justice agencies fails to prioritise "
        "PPOs consistently and allocate resources",
        _L,
        _M,
        11,
        PARTNERSHIPS,
        "PPO schemes reviewed with police and CDRPs; PT 3 monitored.",
        date(2010, 1, 22),
        1,
    ),
    RiskRow(
        22,
        "Demands of NOMS change divert attention and resources from the regional "
        "Reducing Re-offending Action Plan",
        _M,
        _H,
        19,
        PARTNERSHIPS,
        "Action plan refreshed September 2009; pathway leads named.",
        date(2009, 11, 27),
        2,
    ),
    RiskRow(
        23,
        "Disengagement of partner agencies from the Reducing Re-offending Action "
        "Plan leads to poorly co-ordinated local services",
        _L,
        _M,
        11,
        PARTNERSHIPS,
        "Pathway boards with local authorities, health and Jobcentre Plus.",
        date(2010, 2, 19),
        3,
    ),
)
