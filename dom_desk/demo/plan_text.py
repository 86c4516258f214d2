"""The demo's plan text: what a North West DOM would write for the 2008-09 and 2009-10
plans, each year its own (its foreword speaks of its year), and the region's template
that a later year starts from until it has text of its own.

Written in the manner of the NOMS commissioning documents (seeds 000, 002 and 003). Every
regional figure is worked out from the demo's own illustrative tables, and the text says
so; the national 2008-09 targets quoted are seed 000's. ``add_plan_template`` writes it
inside ``build_demo``'s one transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dom_desk.demo import data
from dom_desk.domain.region import year_by_label
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


def _need_demand() -> str:
    places, prisons, caseload = _places()
    return (
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
    )


CONTACTS = (
    "Comments about this plan should be sent to the regional commissioning team, "
    f"Office of the Director of Offender Management, {data.REGION}. Provider queries "
    "about an SLA or contract go first to the role named for it below."
)

#: Each year's foreword: written for its year, so neither speaks of the other as "this year".
FOREWORDS: dict[str, str] = {
    data.PREVIOUS_YEAR: (
        f"This plan sets out how the {data.REGION} region will commission offender "
        f"services in {data.PREVIOUS_YEAR}, the first year in which responsibility for "
        "negotiating performance levels with providers rests with the Director of "
        "Offender Management, within the national framework. It provides the basis for "
        "our Service Level Agreements with public prisons and Probation Boards and for "
        "managing our contracts with private and voluntary sector providers.\n\n"
        f"The national targets for {data.PREVIOUS_YEAR} set the floor for our own: at least "
        "2,397 accredited domestic violence programme completions and 47,347 unpaid work "
        "completions across England and Wales, positive mandatory drug tests in prisons "
        "below 9.3%, escapes no more than 0.05% of the average prison population, and 70% "
        "of orders and licences completed successfully. Each provider's share is agreed "
        "in its SLA or contract.\n\n"
        "Our priorities are to **protect the public** and to **reduce re-offending**, "
        "commissioning by need, demand and value for money. I am grateful to every "
        "provider and partner who has contributed to this, our first regional plan."
    ),
    data.CURRENT_YEAR: (
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
}


def texts(year: str | None = None) -> dict[str, str]:
    """The DOM's text for ``year``'s plan; without a year, the region's template (no
    foreword of a year: a new year writes its own, starting from the default)."""
    written = {"need_demand": _need_demand(), "contacts": CONTACTS}
    if year is not None:
        written["foreword"] = FOREWORDS[year]
    return written


def template(year: str | None = None) -> list[SectionChoice]:
    written = texts(year)
    return [
        SectionChoice(s.key, s.included, s.title, written.get(s.key, s.body))
        for s in default_template()
    ]


def add_plan_template(session: Session) -> None:
    """Saves the region's plan template and each demo year's own plan text."""
    write_template(session, template())
    for label in FOREWORDS:
        write_template(session, template(label), year_by_label(session, label).id)
