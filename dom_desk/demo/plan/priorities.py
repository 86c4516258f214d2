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
