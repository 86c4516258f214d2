"""The demo's plan template: the text a North West DOM would write for the 2009-10 plan.

Written in the manner of the NOMS commissioning documents (seeds 002 and 003). Every
figure is worked out from the demo's own illustrative tables, and the text says so.
``add_plan_template`` writes it inside ``build_demo``'s one transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dom_desk.demo import data
from dom_desk.models import ProviderKind
from dom_desk.plan.template import SectionChoice, default_template, write_template


def _places() -> tuple[int, int, int]:
    """Prison places, prisons, and offenders under supervision in the demo's tables."""
    prisons = [
        p
        for p in data.PROVIDERS
        if p.kind in (ProviderKind.PUBLIC_PRISON, ProviderKind.CONTRACTED_PRISON)
    ]
    places = sum(p.capacity or 0 for p in prisons)
    caseload = sum(p.caseload or 0 for p in data.PROVIDERS)
    return places, len(prisons), caseload


def texts() -> dict[str, str]:
    places, prisons, caseload = _places()
    return {
        "foreword": (
            f"This plan sets out how the {data.REGION} region will commission offender "
            f"services in {data.CURRENT_YEAR}. It provides the basis for negotiating Service "
            "Level Agreements with our public prisons and Probation Boards and Trusts, for "
            "managing our contracts with private and voluntary sector providers, and for "
            "aligning our priorities with those of our partners in health, housing, "
            "learning and skills and local government.\n\n"
            "Our priorities remain to **protect the public** and to **reduce re-offending**. "
            "We will commission by need, demand and value for money: we specify *what* is "
            "delivered, to whom, at what quality and cost, and providers decide *how*.\n\n"
            "The year ahead brings the re-competition of HMP Buckley Hall and HMP "
            "Manchester and the first new-build cluster competition. I am grateful to every "
            "provider and partner who has contributed to this plan, and I look forward to "
            "working with you to deliver it."
        ),
        "need_demand": (
            f"The region's {prisons} prisons hold some {places:,} places, and the probation "
            f"areas supervise around {caseload:,} offenders in the community "
            "(illustrative figures, as are all figures in this demonstration plan).\n\n"
            "Demand for custody places continues to exceed the region's capacity at times "
            "of peak population; local prisons carry the pressure. In the community, "
            "demand for accredited programmes and unpaid work is rising with the use of "
            "the Community Order.\n\n"
            "Assessed need, from OASys, is greatest in these pathways:\n"
            "- accommodation: settled accommodation at the end of sentence remains the "
            "weakest outcome in the region;\n"
            "- education, training and employment;\n"
            "- drugs and alcohol, particularly for short-sentenced prisoners;\n"
            "- attitudes, thinking and behaviour.\n\n"
            "Providers should use this assessment when proposing volumes and the targeting "
            "of interventions in their SLA or contract negotiations."
        ),
        "contacts": (
            "Comments about this plan should be sent to the regional commissioning team, "
            "Office of the Director of Offender Management, North West. Provider queries "
            "about an SLA or contract go first to the role named for it below."
        ),
    }


def template() -> list[SectionChoice]:
    written = texts()
    return [
        SectionChoice(s.key, s.included, s.title, written.get(s.key, s.body))
        for s in default_template()
    ]


def add_plan_template(session: Session) -> None:
    """Saves the demo's plan template in the workbook being built."""
    write_template(session, template())
