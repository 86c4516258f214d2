"""The demo's plan: commissioning intentions, competitions, milestones and risk register.

Competitions are the North West items of the 2009-10 timetable (seed 000, para 65); the
risks are the 23 of the NPS 2005-06 summary register (seed 001, Annex C), adapted to the
region, with likelihood and impact as printed. Owners are roles, never people.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dom_desk.models import CompetitionKind, Level, RiskStatus, Stage

DOM = "Director of Offender Management"
COMMISSIONING = "Head of Commissioning (region)"
PERFORMANCE = "Regional performance manager"
CONTRACTS = "Regional contracts manager"
COMPETITIONS = "Regional competitions lead"
PARTNERSHIPS = "Reducing re-offending partnerships manager"
FINANCE = "Regional finance manager"


class PriorityRow(NamedTuple):
    number: int
    title: str
    rationale: str
    provider_response: str


PRIORITIES: tuple[PriorityRow, ...] = (
    PriorityRow(
        1,
        "Protect the public",
        "Keep secure those who present the greatest risk; MAPPA obligations met; no "
        "Category A escapes and escapes below 0.05% of the population.",
        "Risk of harm assessments and plans to timescale; security audits passed; "
        "approved premises used for the highest-risk cases.",
    ),
    PriorityRow(
        2,
        "Reduce re-offending",
        "The PSA 23 aim of a 10% reduction; end-to-end offender management across "
        "custody and community.",
        "Sentence plans delivered through the gate; right offenders on accredited "
        "programmes (OGRS/RoSH criteria).",
    ),
    PriorityRow(
        3,
        "The seven pathways: accommodation and employment first",
        "Settled accommodation and employment at the end of sentence (PSA 16) are the "
        "region's weakest pathways.",
        "Housing need assessed at reception; ETE referrals for every prisoner and "
        "offender unemployed at start; use of ESF co-financed provision.",
    ),
    PriorityRow(
        4,
        "Value for money and competition",
        "Costed specifications set a target cost and minimum quality; Buckley Hall "
        "and Manchester are to be re-competed; Best Value review of unpaid work.",
        "Costs benchmarked against specifications; efficiency plans for 2010-11; "
        "full co-operation with competitions and reviews.",
    ),
    PriorityRow(
        5,
        "Women offenders",
        "Corston: divert women from custody where safe; HMP & YOI Styal is the "
        "region's only women's prison.",
        "Gender-specific regime at Styal; community alternatives and women's "
        "centres used by courts; resettlement for women released to the region.",
    ),
    PriorityRow(
        6,
        "Punishment and reparation the public can see",
        "Public confidence: Community Payback visible and completed; breaches enforced promptly.",
        "Unpaid work completions as agreed; stand-downs under 3.5%; breach action "
        "within 10 working days.",
    ),
)


class StageRow(NamedTuple):
    stage: Stage
    planned: date | None
    planned_text: str = ""
    actual: date | None = None


class CompetitionRow(NamedTuple):
    subject: str
    kind: CompetitionKind
    #: The provider and its 2009-10 SLA, where the competition is about one.
    provider: str | None
    expiry: date | None
    expiry_text: str
    notes: str
    #: Stages written out; recompetes leave this empty and work them back from expiry.
    stages: tuple[StageRow, ...] = ()
    #: Fuzzy wording of the call as printed ("June 2009").
    call_text: str = ""
    #: Dates on which stages were actually reached (recompetes).
    actuals: tuple[tuple[Stage, date], ...] = ()


#: Months after the call for each stage of a re-competition; service starts at expiry.
#: The 2009-10 plan always calls for competition 12 months before expiry.
CALL_MONTHS_BEFORE_EXPIRY = 12
STAGE_MONTHS_AFTER_CALL: dict[Stage, int] = {
    Stage.PREQUALIFICATION: 2,
    Stage.ITT: 4,
    Stage.BIDS_DUE: 6,
    Stage.EVALUATION: 7,
    Stage.AWARD: 9,
    Stage.MOBILISATION: 10,
}

TBC = "Tbc"


def _all_tbc(*known: StageRow) -> tuple[StageRow, ...]:
    """Every stage in order: those given, and "Tbc" for the rest."""
    given = {row.stage: row for row in known}
    return tuple(given.get(stage, StageRow(stage, None, TBC)) for stage in Stage)


COMPETITIONS_2009: tuple[CompetitionRow, ...] = (
    CompetitionRow(
        "HMP Buckley Hall",
        CompetitionKind.RECOMPETE,
        "HMP Buckley Hall",
        date(2010, 6, 30),
        "June 2010",
        "Re-compete manage only; current SLA (2000 market test) expires June "
        "2010. Open market: public, private and third sectors.",
        call_text="June 2009",
        actuals=((Stage.CALL, date(2009, 6, 30)), (Stage.PREQUALIFICATION, date(2009, 9, 11))),
    ),
    CompetitionRow(
        "HMP Manchester",
        CompetitionKind.RECOMPETE,
        "HMP Manchester",
        date(2011, 10, 31),
        "Oct 2011",
        "Re-compete manage only; current SLA (2001 market test) expires October 2011.",
        call_text="Oct 2010",
    ),
    CompetitionRow(
        "New build Cluster 1",
        CompetitionKind.NEW_BUILD,
        None,
        None,
        "n/a",
        "National competition run by NOMS; the region feeds demand and site information. "
        "Call slipped: NOMS to confirm.",
        _all_tbc(StageRow(Stage.CALL, date(2009, 7, 1), "Summer 2009")),
    ),
    CompetitionRow(
        "New build Cluster 2",
        CompetitionKind.NEW_BUILD,
        None,
        None,
        "n/a",
        "National competition; procurement strategy to follow Cluster 1.",
        _all_tbc(),
    ),
    CompetitionRow(
        "New build Cluster 3",
        CompetitionKind.NEW_BUILD,
        None,
        None,
        "n/a",
        "National competition; timing depends on the capacity programme.",
        _all_tbc(),
    ),
    CompetitionRow(
        "Unpaid work (Community Payback): Best Value review",
        CompetitionKind.BEST_VALUE,
        "Greater Manchester Probation Trust",
        None,
        "n/a",
        "Best Value review against the specification; services below the minimum criteria "
        "go to competition. First reviews completed by March 2010.",
        _all_tbc(
            StageRow(Stage.CALL, date(2009, 7, 1), "July 2009", date(2009, 7, 13)),
            StageRow(Stage.EVALUATION, date(2010, 3, 31), "March 2010"),
        ),
    ),
)


class MilestoneRow(NamedTuple):
    reference: str
    title: str
    owner: str
    due: date | None
    due_text: str
    done: date | None
    priority: int | None
    notes: str = ""


MILESTONES: tuple[MilestoneRow, ...] = (
    MilestoneRow(
        "M01",
        "Publish the regional commissioning plan 2009-10",
        DOM,
        date(2009, 4, 30),
        "April 2009",
        date(2009, 5, 12),
        2,
    ),
    MilestoneRow(
        "M02",
        "Conclude 2009-10 SLAs with all public providers",
        COMMISSIONING,
        date(2009, 6, 30),
        "June 2009",
        None,
        4,
        "Liverpool, Lancashire, Cumbria, Lancaster Castle and Kennet outstanding.",
    ),
    MilestoneRow(
        "M03",
        "Buckley Hall: call for competition issued",
        COMPETITIONS,
        date(2009, 6, 30),
        "June 2009",
        date(2009, 6, 30),
        4,
    ),
    MilestoneRow(
        "M04",
        "Demand and site information for new build Cluster 1 to NOMS",
        COMPETITIONS,
        date(2009, 7, 1),
        "Summer 2009",
        date(2009, 8, 21),
        4,
    ),
    MilestoneRow(
        "M05",
        "Refresh the regional Reducing Re-offending Action Plan",
        PARTNERSHIPS,
        date(2009, 9, 30),
        "September 2009",
        date(2009, 10, 2),
        3,
    ),
    MilestoneRow(
        "M06",
        "ESF co-financed ETE contract: six-month review",
        CONTRACTS,
        date(2009, 10, 30),
        "October 2009",
        None,
        3,
    ),
    MilestoneRow(
        "M07",
        "Re-let housing and debt advice in prisons (Shelter extension ends March 2010)",
        CONTRACTS,
        date(2010, 1, 29),
        "January 2010",
        None,
        3,
    ),
    MilestoneRow(
        "M08",
        "Provisional 2010-11 allocations to providers",
        FINANCE,
        date(2010, 1, 31),
        "January 2010",
        None,
        4,
    ),
    MilestoneRow(
        "M09",
        "Best Value review of unpaid work: first review completed",
        COMMISSIONING,
        date(2010, 3, 31),
        "March 2010",
        None,
        6,
    ),
    MilestoneRow(
        "M10",
        "Cheshire, Cumbria and Lancashire become Probation Trusts",
        DOM,
        date(2010, 4, 1),
        "April 2010",
        None,
        4,
    ),
    MilestoneRow(
        "M11",
        "Women offenders: review of Styal and community provision (Corston)",
        COMMISSIONING,
        None,
        "Ongoing",
        None,
        5,
    ),
    MilestoneRow(
        "M12",
        "Quarterly performance reviews with every provider",
        PERFORMANCE,
        None,
        "Ongoing",
        None,
        2,
    ),
)


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
