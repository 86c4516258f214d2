"""The demo's commissioning priorities, each with what providers are asked to do."""

from __future__ import annotations

from typing import NamedTuple


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

#: The 2008-09 plan's priorities: fewer, set against the national 2008-09 targets (seed 000).
PRIORITIES_2008: tuple[PriorityRow, ...] = (
    PriorityRow(
        1,
        "Protect the public",
        "Keep secure those who present the greatest risk: escapes no more than 0.05% of "
        "the average prison population; MAPPA obligations met.",
        "Security audits passed; risk of harm assessments to timescale; approved premises "
        "used for the highest-risk cases.",
    ),
    PriorityRow(
        2,
        "Reduce re-offending through end-to-end offender management",
        "Sentence plans that follow the offender from custody into the community; 70% of "
        "orders and licences completed successfully.",
        "OASys assessments and sentence plans to timescale; accredited programme "
        "completions as agreed in each SLA.",
    ),
    PriorityRow(
        3,
        "Punishment in the community that is seen to be done",
        "Unpaid work completed and visible (47,347 completions nationally); stand-downs "
        "at most 3.5% of offender days.",
        "Unpaid work completions as agreed; breach action taken promptly.",
    ),
    PriorityRow(
        4,
        "Drugs and alcohol",
        "Positive mandatory drug tests in prisons below 9.3%; Drug Rehabilitation "
        "Requirements started and completed.",
        "Drug strategy in every prison; DRR and alcohol treatment requirement completions "
        "as agreed.",
    ),
    PriorityRow(
        5,
        "Capacity and value for money",
        "Demand for custody places exceeds capacity at peaks; the first costed "
        "specifications set target costs.",
        "Places made available as agreed; costs benchmarked against the specifications.",
    ),
)

#: Each demo year's priorities, by year label.
PRIORITIES_BY_YEAR: dict[str, tuple[PriorityRow, ...]] = {
    "2008-09": PRIORITIES_2008,
    "2009-10": PRIORITIES,
}
