"""The services the region buys (illustrative unit costs and quality standards) and the
funding sources that pay for them (illustrative envelopes).
"""

from __future__ import annotations

from typing import NamedTuple

from dom_desk.demo.data.region import CURRENT_YEAR, PREVIOUS_YEAR, pounds
from dom_desk.models import (
    Pathway,
)


class ServiceRow(NamedTuple):
    name: str
    pathway: Pathway | None
    unit: str
    target_unit_cost: int
    minimum_quality: str
    outputs: str


CUSTODY_MEN = "Custody places (adult men)"
CUSTODY_WOMEN = "Custody places (women)"
CUSTODY_YOUNG = "Custody places (young adults)"
OFFENDER_MANAGEMENT = "Offender management (community)"
PROGRAMMES = "Accredited programmes"
UNPAID_WORK = "Unpaid work (Community Payback)"
DRR = "Drug Rehabilitation Requirement (DRR) treatment"
CUSTODY_DRUGS = "Drug treatment in custody (CARAT/IDTS)"
APPROVED_PREMISES = "Approved premises"
VICTIM_CONTACT = "Victim contact"
RESETTLEMENT = "Resettlement and accommodation advice"
DEBT_ADVICE = "Finance, benefit and debt advice"
ETE = "Education, training and employment (ETE)"
FAMILIES = "Family support and mentoring"

SERVICES: tuple[ServiceRow, ...] = (
    ServiceRow(
        CUSTODY_MEN,
        None,
        "place",
        pounds(25_000),
        "Decent, safe and secure custody to the prison service specification.",
        "Places available to the population management unit.",
    ),
    ServiceRow(
        CUSTODY_WOMEN,
        None,
        "place",
        pounds(38_000),
        "Gender-specific regime (Corston); searching arrangements for women.",
        "Places for women remanded or sentenced by courts in the region.",
    ),
    ServiceRow(
        CUSTODY_YOUNG,
        None,
        "place",
        pounds(32_000),
        "Regime for 18 to 20 year olds; education and activity hours.",
        "Places for young adult men.",
    ),
    ServiceRow(
        OFFENDER_MANAGEMENT,
        None,
        "offender supervised",
        pounds(2_050),
        "National Standards; OASys assessments to timescale; tiered case management.",
        "Offenders supervised on community orders and licences.",
    ),
    ServiceRow(
        PROGRAMMES,
        Pathway.ATTITUDES,
        "completion",
        pounds(2_900),
        "Accredited programmes delivered to treatment manual; eligibility by OGRS.",
        "Programme completions (general offending, violence, sex offender, DV).",
    ),
    ServiceRow(
        UNPAID_WORK,
        None,
        "completion",
        pounds(1_350),
        "Visible Community Payback; no more than 3.5% of days lost to stand-downs.",
        "Unpaid work requirements completed.",
    ),
    ServiceRow(
        DRR,
        Pathway.DRUGS_ALCOHOL,
        "commencement",
        pounds(4_300),
        "First treatment appointment within two working days of sentence.",
        "Offenders starting and retained in treatment on a DRR.",
    ),
    ServiceRow(
        CUSTODY_DRUGS,
        Pathway.DRUGS_ALCOHOL,
        "treatment start",
        pounds(1_100),
        "Integrated Drug Treatment System standards.",
        "Prisoners assessed and starting drug treatment.",
    ),
    ServiceRow(
        APPROVED_PREMISES,
        Pathway.ACCOMMODATION,
        "bed",
        pounds(26_000),
        "24-hour staffed; MAPPA-compliant risk management.",
        "Approved premises bed places for high-risk offenders.",
    ),
    ServiceRow(
        VICTIM_CONTACT,
        None,
        "case",
        pounds(260),
        "Victims contacted within eight weeks of sentence.",
        "Victims offered contact (serious sexual or violent offences).",
    ),
    ServiceRow(
        RESETTLEMENT,
        Pathway.ACCOMMODATION,
        "case",
        pounds(350),
        "Housing need assessed at reception; plan before release.",
        "Offenders advised and helped into settled accommodation.",
    ),
    ServiceRow(
        DEBT_ADVICE,
        Pathway.FINANCE,
        "case",
        pounds(180),
        "Advice to Advice Quality Standard.",
        "Offenders given benefit, debt and financial capability advice.",
    ),
    ServiceRow(
        ETE,
        Pathway.ETE,
        "participant",
        pounds(1_100),
        "Individual learning and employment plans; outcomes verified.",
        "Offenders entering education, training or employment.",
    ),
    ServiceRow(
        FAMILIES,
        Pathway.FAMILIES,
        "mentee",
        pounds(500),
        "Trained and supervised volunteer mentors.",
        "Offenders and families supported through the gate.",
    ),
)


class FundingRow(NamedTuple):
    name: str
    notes: str
    #: Envelope by financial year, in pence (illustrative).
    amounts: dict[str, int]
    #: The heading the line is printed under in the envelope's budget table.
    group: str = ""


NOMS_ALLOCATION = "NOMS regional allocation"
DIP = "Drug Interventions Programme"
ESF = "European Social Fund (ESF) co-financing"

FUNDING: tuple[FundingRow, ...] = (
    FundingRow(
        NOMS_ALLOCATION,
        "The region's share of the NOMS resource allocation.",
        {PREVIOUS_YEAR: pounds(449_900_000), CURRENT_YEAR: pounds(459_400_000)},
        "NOMS funding",
    ),
    FundingRow(
        DIP,
        "Home Office drug treatment funding for DRR and through-care.",
        {PREVIOUS_YEAR: pounds(8_100_000), CURRENT_YEAR: pounds(9_200_000)},
        "Partnership funding",
    ),
    FundingRow(
        ESF,
        "ESF 2007-13 programme, co-financed through NOMS.",
        {PREVIOUS_YEAR: pounds(850_000), CURRENT_YEAR: pounds(4_200_000)},
        "Partnership funding",
    ),
)

#: The envelope's groups as its (illustrative) budget table prints them, in £m to one
#: decimal place: each closed by a printed total, checked within £0.1m of its lines.
ENVELOPE_GROUPS: tuple[str, ...] = ("NOMS funding", "Partnership funding")
ENVELOPE_TOLERANCE = pounds(100_000)

#: Services paid from a funding source other than the NOMS allocation.
SERVICE_FUNDING: dict[str, str] = {DRR: DIP, ETE: ESF}
