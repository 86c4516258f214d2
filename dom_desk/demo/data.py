"""The demo region's providers, services, money and agreements, as plain tables.

The providers are real North West establishments and organisations; every amount,
volume, capacity and price is illustrative, invented to be plausible. Money is integer
pence: tables write ``pounds(23_800)`` so the figures read as a DOM would say them.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dom_desk.models import (
    AgreementStatus,
    Pathway,
    PaymentMechanism,
    ProviderKind,
    Sector,
    VariationKind,
)


def pounds(amount: int) -> int:
    """Whole pounds as pence, exactly."""
    return amount * 100


REGION = "North West"
CURRENT_YEAR = "2009-10"
PREVIOUS_YEAR = "2008-09"
YEARS = (PREVIOUS_YEAR, CURRENT_YEAR)
#: The demo is set early in November 2009: September's returns are in (due 10 October),
#: October's are not yet due (10 November), so key dates fall due rather than lie past.
AS_OF = "2009-11-02"
REGION_NOTES = (
    "Demonstration workbook. The providers are real North West prisons, probation areas "
    "and organisations, and the measures, competitions and risks come from published NOMS "
    "and NPS plans; every amount, volume, capacity, target and result is illustrative, "
    "invented for the demo, and is not an actual figure."
)
ILLUSTRATIVE = "Illustrative figures for the demo, not actual."
RECORDED_BY = "demo"


class ProviderRow(NamedTuple):
    name: str
    kind: ProviderKind
    sector: Sector
    #: How the demo treats it: a prison function ("local", "cat_c", ...), "probation",
    #: or "vcs" (voluntary and private providers held under contract).
    group: str
    operator: str = ""
    #: Places for prisons (operational capacity, illustrative).
    capacity: int | None = None
    #: Offenders under supervision for probation areas (illustrative).
    caseload: int | None = None
    aliases: tuple[str, ...] = ()
    notes: str = ""


_HMPS = "HM Prison Service"
_PUBLIC = (ProviderKind.PUBLIC_PRISON, Sector.PUBLIC)


def _prison(
    name: str, group: str, capacity: int, aliases: tuple[str, ...], notes: str
) -> ProviderRow:
    return ProviderRow(
        name, *_PUBLIC, group, _HMPS, capacity, None, aliases, f"{notes} Capacity illustrative."
    )


PROVIDERS: tuple[ProviderRow, ...] = (
    _prison(
        "HMP Manchester",
        "local",
        1269,
        ("Manchester", "Strangeways", "HMP Strangeways"),
        "Core local prison for Greater Manchester; retained by the public sector after "
        "the 2001 market test.",
    ),
    _prison(
        "HMP Liverpool",
        "local",
        1400,
        ("Liverpool", "Walton", "HMP Walton"),
        "Local prison for Merseyside.",
    ),
    _prison("HMP Preston", "local", 700, ("Preston",), "Local prison for Lancashire."),
    _prison("HMP Garth", "cat_b", 846, ("Garth",), "Category B training prison, Leyland."),
    _prison(
        "HMP Buckley Hall",
        "cat_c",
        384,
        ("Buckley Hall", "HMP Buckley Hall Rochdale"),
        "Category C, Rochdale; SLA from the 2000 market test expires June 2010.",
    ),
    _prison("HMP Risley", "cat_c", 1050, ("Risley",), "Category C, Warrington."),
    _prison("HMP Haverigg", "cat_c", 640, ("Haverigg",), "Category C, Millom, Cumbria."),
    _prison("HMP Wymott", "cat_c", 1100, ("Wymott",), "Category C, Leyland."),
    _prison(
        "HMP Lancaster Castle",
        "cat_c",
        241,
        ("Lancaster Castle", "Lancaster"),
        "Category C in Lancaster Castle.",
    ),
    _prison("HMP Kennet", "cat_c", 340, ("Kennet",), "Category C, Maghull; opened 2007."),
    _prison("HMP Kirkham", "open", 630, ("Kirkham",), "Category D open prison."),
    ProviderRow(
        "HMP & YOI Styal",
        ProviderKind.PUBLIC_PRISON,
        Sector.PUBLIC,
        "women",
        _HMPS,
        450,
        None,
        ("Styal", "HMP Styal", "HMP/YOI Styal"),
        "Women's prison and YOI, Wilmslow. Capacity illustrative.",
    ),
    _prison(
        "HMP & YOI Hindley",
        "yoi",
        440,
        ("Hindley", "HMYOI Hindley"),
        "Young offender institution, Wigan.",
    ),
    _prison(
        "HMYOI Lancaster Farms",
        "yoi",
        500,
        ("Lancaster Farms", "HMP Lancaster Farms", "HMP & YOI Lancaster Farms"),
        "Young offender institution and remand centre, Lancaster.",
    ),
    _prison(
        "HMYOI Thorn Cross",
        "yoi_open",
        316,
        ("Thorn Cross",),
        "Open young offender institution, Warrington.",
    ),
    ProviderRow(
        "HMP Forest Bank",
        ProviderKind.CONTRACTED_PRISON,
        Sector.PRIVATE,
        "contracted",
        "Kalyx (Sodexo Justice Services)",
        1460,
        None,
        ("Forest Bank", "HMP & YOI Forest Bank"),
        "Contracted local prison, Salford; opened 2000 under a 25-year DCMF contract "
        "(operator then UKDS, now Kalyx). Capacity illustrative.",
    ),
    ProviderRow(
        "HMP Altcourse",
        ProviderKind.CONTRACTED_PRISON,
        Sector.PRIVATE,
        "contracted",
        "G4S Justice Services",
        1324,
        None,
        ("Altcourse", "HMP & YOI Altcourse"),
        "Contracted local prison, Fazakerley, Liverpool; opened 1997 under a 25-year "
        "DCMF contract. Capacity illustrative.",
    ),
    ProviderRow(
        "Greater Manchester Probation Trust",
        ProviderKind.PROBATION_TRUST,
        Sector.PUBLIC,
        "probation",
        "",
        None,
        14500,
        ("Greater Manchester Probation Area", "GM Probation", "GMPT"),
        "Probation Trust from April 2009. Caseload illustrative.",
    ),
    ProviderRow(
        "Merseyside Probation Trust",
        ProviderKind.PROBATION_TRUST,
        Sector.PUBLIC,
        "probation",
        "",
        None,
        9800,
        ("Merseyside Probation Area", "Merseyside Probation"),
        "One of the first Probation Trusts (April 2008). Caseload illustrative.",
    ),
    ProviderRow(
        "Lancashire Probation Area",
        ProviderKind.PROBATION_BOARD,
        Sector.PUBLIC,
        "probation",
        "",
        None,
        8700,
        ("Lancashire Probation Board", "Lancashire Probation"),
        "Probation Board; due to become a Trust by April 2010. Caseload illustrative.",
    ),
    ProviderRow(
        "Cheshire Probation Area",
        ProviderKind.PROBATION_BOARD,
        Sector.PUBLIC,
        "probation",
        "",
        None,
        5200,
        ("Cheshire Probation Board", "Cheshire Probation"),
        "Probation Board; due to become a Trust by April 2010. Caseload illustrative.",
    ),
    ProviderRow(
        "Cumbria Probation Area",
        ProviderKind.PROBATION_BOARD,
        Sector.PUBLIC,
        "probation",
        "",
        None,
        2300,
        ("Cumbria Probation Board", "Cumbria Probation"),
        "Probation Board; due to become a Trust by April 2010. Caseload illustrative.",
    ),
    ProviderRow(
        "Nacro",
        ProviderKind.VCS,
        Sector.THIRD,
        "vcs",
        aliases=("NACRO",),
        notes="Crime reduction charity: resettlement and accommodation advice. "
        "Services and values illustrative.",
    ),
    ProviderRow(
        "Shelter",
        ProviderKind.VCS,
        Sector.THIRD,
        "vcs",
        notes="Housing and debt advice to prisoners. Services and values illustrative.",
    ),
    ProviderRow(
        "Addaction",
        ProviderKind.VCS,
        Sector.THIRD,
        "vcs",
        notes="Drug and alcohol treatment charity: DRR treatment in Cumbria and "
        "Lancashire. Services and values illustrative.",
    ),
    ProviderRow(
        "Sova",
        ProviderKind.VCS,
        Sector.THIRD,
        "vcs",
        aliases=("SOVA",),
        notes="Volunteering charity: mentoring and family support through the gate. "
        "Services and values illustrative.",
    ),
    ProviderRow(
        "A4e",
        ProviderKind.PRIVATE_COMPANY,
        Sector.PRIVATE,
        "vcs",
        aliases=("A4e Ltd", "Action for Employment"),
        notes="Employment and skills company: ESF co-financed ETE programme. "
        "Services and values illustrative.",
    ),
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


NOMS_ALLOCATION = "NOMS regional allocation"
DIP = "Drug Interventions Programme"
ESF = "European Social Fund (ESF) co-financing"

FUNDING: tuple[FundingRow, ...] = (
    FundingRow(
        NOMS_ALLOCATION,
        "The region's share of the NOMS resource allocation.",
        {PREVIOUS_YEAR: pounds(449_900_000), CURRENT_YEAR: pounds(459_400_000)},
    ),
    FundingRow(
        DIP,
        "Home Office drug treatment funding for DRR and through-care.",
        {PREVIOUS_YEAR: pounds(8_100_000), CURRENT_YEAR: pounds(9_200_000)},
    ),
    FundingRow(
        ESF,
        "ESF 2007-13 programme, co-financed through NOMS.",
        {PREVIOUS_YEAR: pounds(850_000), CURRENT_YEAR: pounds(4_200_000)},
    ),
)

#: Services paid from a funding source other than the NOMS allocation.
SERVICE_FUNDING: dict[str, str] = {DRR: DIP, ETE: ESF}

Line = tuple[str, int, int]  # service name, volume, unit price in pence


class SlaRow(NamedTuple):
    """A public provider's yearly SLA: its 2009-10 lines and where negotiation stands."""

    provider: str
    status: AgreementStatus
    lines: tuple[Line, ...]
    #: Agreed minus provisional on the first line, in pence, once agreed or signed.
    negotiated: int = 0
    negotiation_deadline: date | None = None
    notes: str = ""


#: 2008-09 SLAs bought the same volumes at 2% lower prices (illustrative rule).
PREVIOUS_PRICE_PERCENT = 98
#: 2008-09 baselines from national planning sat 1% under the agreed values (whole pounds).
PREVIOUS_BASELINE_PERCENT = 99

_S = AgreementStatus
SLAS: tuple[SlaRow, ...] = (
    SlaRow(
        "HMP Manchester",
        _S.SIGNED,
        (
            (CUSTODY_MEN, 1269, pounds(28_500)),
            (PROGRAMMES, 70, pounds(2_900)),
            (CUSTODY_DRUGS, 600, pounds(1_100)),
        ),
        negotiated=pounds(120_000),
        notes="Annual SLA within the 2001 market-test SLA, which expires October 2011.",
    ),
    SlaRow(
        "HMP Liverpool",
        _S.IN_NEGOTIATION,
        ((CUSTODY_MEN, 1400, pounds(28_500)), (CUSTODY_DRUGS, 700, pounds(1_100))),
        negotiation_deadline=date(2009, 11, 13),
        notes="Drug testing and overcrowding targets still under discussion.",
    ),
    SlaRow(
        "HMP Preston",
        _S.SIGNED,
        ((CUSTODY_MEN, 700, pounds(28_500)), (CUSTODY_DRUGS, 350, pounds(1_100))),
        negotiated=-pounds(40_000),
    ),
    SlaRow(
        "HMP Garth",
        _S.AGREED,
        ((CUSTODY_MEN, 846, pounds(30_000)), (PROGRAMMES, 110, pounds(2_900))),
        negotiated=pounds(25_000),
        notes="Agreed at regional meeting; awaiting signature.",
    ),
    SlaRow(
        "HMP Buckley Hall",
        _S.AGREED,
        ((CUSTODY_MEN, 384, pounds(22_000)), (CUSTODY_DRUGS, 200, pounds(1_100))),
        notes="Annual SLA within the 2000 market-test SLA, which expires June 2010; "
        "the prison is being re-competed.",
    ),
    SlaRow(
        "HMP Risley",
        _S.SIGNED,
        ((CUSTODY_MEN, 1050, pounds(22_000)), (PROGRAMMES, 80, pounds(2_900))),
    ),
    SlaRow(
        "HMP Haverigg",
        _S.SIGNED,
        ((CUSTODY_MEN, 640, pounds(22_000)), (PROGRAMMES, 50, pounds(2_900))),
    ),
    SlaRow(
        "HMP Wymott",
        _S.SIGNED,
        ((CUSTODY_MEN, 1100, pounds(22_000)), (PROGRAMMES, 90, pounds(2_900))),
    ),
    SlaRow(
        "HMP Lancaster Castle",
        _S.DRAFT,
        ((CUSTODY_MEN, 241, pounds(22_000)),),
        negotiation_deadline=date(2009, 10, 30),
        notes="Draft: future of the site under review.",
    ),
    SlaRow(
        "HMP Kennet",
        _S.DRAFT,
        ((CUSTODY_MEN, 340, pounds(22_000)),),
        negotiation_deadline=date(2009, 11, 30),
    ),
    SlaRow(
        "HMP Kirkham", _S.SIGNED, ((CUSTODY_MEN, 630, pounds(16_500)), (ETE, 250, pounds(1_100)))
    ),
    SlaRow(
        "HMP & YOI Styal",
        _S.SIGNED,
        (
            (CUSTODY_WOMEN, 450, pounds(38_000)),
            (CUSTODY_DRUGS, 250, pounds(1_100)),
            (RESETTLEMENT, 400, pounds(350)),
        ),
        negotiated=pounds(95_000),
    ),
    SlaRow(
        "HMP & YOI Hindley",
        _S.SIGNED,
        ((CUSTODY_YOUNG, 440, pounds(33_500)), (ETE, 300, pounds(1_100))),
    ),
    SlaRow(
        "HMYOI Lancaster Farms",
        _S.SIGNED,
        ((CUSTODY_YOUNG, 500, pounds(33_500)), (CUSTODY_DRUGS, 200, pounds(1_100))),
    ),
    SlaRow(
        "HMYOI Thorn Cross",
        _S.SIGNED,
        ((CUSTODY_YOUNG, 316, pounds(24_000)), (ETE, 200, pounds(1_100))),
    ),
    SlaRow(
        "Greater Manchester Probation Trust",
        _S.SIGNED,
        (
            (OFFENDER_MANAGEMENT, 14500, pounds(2_050)),
            (UNPAID_WORK, 5600, pounds(1_350)),
            (APPROVED_PREMISES, 150, pounds(26_000)),
        ),
        negotiated=-pounds(150_000),
        notes="Trust: agreement held as an annual SLA in the demo.",
    ),
    SlaRow(
        "Merseyside Probation Trust",
        _S.SIGNED,
        (
            (OFFENDER_MANAGEMENT, 9800, pounds(2_050)),
            (DRR, 1150, pounds(4_300)),
            (VICTIM_CONTACT, 1400, pounds(260)),
        ),
        negotiated=pounds(60_000),
        notes="Trust: agreement held as an annual SLA in the demo.",
    ),
    SlaRow(
        "Lancashire Probation Area",
        _S.IN_NEGOTIATION,
        (
            (OFFENDER_MANAGEMENT, 8700, pounds(2_000)),
            (UNPAID_WORK, 3300, pounds(1_350)),
            (PROGRAMMES, 900, pounds(2_900)),
        ),
        negotiation_deadline=date(2009, 11, 30),
        notes="Completions performance to be addressed in the SLA.",
    ),
    SlaRow(
        "Cheshire Probation Area",
        _S.SIGNED,
        (
            (OFFENDER_MANAGEMENT, 5200, pounds(2_000)),
            (UNPAID_WORK, 1950, pounds(1_350)),
            (DRR, 420, pounds(4_300)),
        ),
    ),
    SlaRow(
        "Cumbria Probation Area",
        _S.IN_NEGOTIATION,
        ((OFFENDER_MANAGEMENT, 2300, pounds(2_100)), (APPROVED_PREMISES, 24, pounds(27_500))),
        negotiation_deadline=date(2009, 12, 18),
    ),
)


class VariationRow(NamedTuple):
    kind: VariationKind
    effective: date
    description: str
    value_change: int | None = None
    new_end: date | None = None


class ContractRow(NamedTuple):
    provider: str
    title: str
    reference: str
    status: AgreementStatus
    start: date
    end: date
    annual_value: int
    notice_months: int
    payment: PaymentMechanism
    contract_manager: str
    extension_options: str
    break_clauses: str
    #: Service lines by financial year (part years where the term starts or ends).
    lines: dict[str, tuple[Line, ...]]
    variations: tuple[VariationRow, ...] = ()
    pbr_share: int | None = None
    notes: str = ""


_CONTRACT_MANAGER = "Regional contracts manager"

CONTRACTS: tuple[ContractRow, ...] = (
    ContractRow(
        "HMP Forest Bank",
        "HMP Forest Bank operating contract",
        "NOMS/DCMF/FB/2000",
        _S.SIGNED,
        date(2000, 1, 20),
        date(2025, 1, 19),
        1410 * pounds(23_800),
        6,
        PaymentMechanism.VARIABLE,
        "Controller, HMP Forest Bank (NOMS)",
        "None: 25-year design, construct, manage and finance (DCMF) term.",
        "Authority voluntary termination with compensation under the PFI terms.",
        {
            PREVIOUS_YEAR: ((CUSTODY_MEN, 1410, pounds(23_800)),),
            CURRENT_YEAR: ((CUSTODY_MEN, 1460, pounds(23_800)),),
        },
        (
            VariationRow(
                VariationKind.VALUE,
                date(2009, 4, 1),
                "50 additional places commissioned from April 2009.",
                value_change=50 * pounds(23_800),
            ),
        ),
        notes="Performance measures carry deductions. " + ILLUSTRATIVE,
    ),
    ContractRow(
        "HMP Altcourse",
        "HMP Altcourse operating contract",
        "NOMS/DCMF/AC/1997",
        _S.SIGNED,
        date(1997, 12, 1),
        date(2022, 11, 30),
        1324 * pounds(26_600),
        6,
        PaymentMechanism.VARIABLE,
        "Controller, HMP Altcourse (NOMS)",
        "None: 25-year DCMF term.",
        "Authority voluntary termination with compensation under the PFI terms.",
        {
            PREVIOUS_YEAR: ((CUSTODY_MEN, 1324, pounds(26_600)),),
            CURRENT_YEAR: ((CUSTODY_MEN, 1324, pounds(26_600)),),
        },
        notes="Performance measures carry deductions. " + ILLUSTRATIVE,
    ),
    ContractRow(
        "Nacro",
        "Resettlement and accommodation advice (Merseyside and Greater Manchester)",
        "NW/VCS/2009/014",
        _S.SIGNED,
        date(2009, 3, 1),
        date(2012, 2, 29),
        3600 * pounds(350),
        6,
        PaymentMechanism.FIXED,
        _CONTRACT_MANAGER,
        "One extension of up to 12 months, to 28 February 2013.",
        "Either party after 31 August 2010 on six months' notice.",
        {
            PREVIOUS_YEAR: ((RESETTLEMENT, 300, pounds(350)),),
            CURRENT_YEAR: ((RESETTLEMENT, 3600, pounds(350)),),
        },
        notes=ILLUSTRATIVE,
    ),
    ContractRow(
        "Shelter",
        "Housing and debt advice in North West prisons",
        "NW/VCS/2007/006",
        _S.SIGNED,
        date(2007, 4, 1),
        date(2009, 9, 30),
        1800 * pounds(330) + 600 * pounds(180),
        3,
        PaymentMechanism.FIXED,
        _CONTRACT_MANAGER,
        "Extension of up to six months at the Authority's option.",
        "Authority on three months' notice.",
        {
            PREVIOUS_YEAR: ((RESETTLEMENT, 1800, pounds(330)), (DEBT_ADVICE, 600, pounds(180))),
            CURRENT_YEAR: ((RESETTLEMENT, 1800, pounds(330)), (DEBT_ADVICE, 600, pounds(180))),
        },
        (
            VariationRow(
                VariationKind.DURATION,
                date(2009, 8, 14),
                "Six-month extension taken up while the service is re-let.",
                new_end=date(2010, 3, 31),
            ),
        ),
        notes=ILLUSTRATIVE,
    ),
    ContractRow(
        "Addaction",
        "DRR treatment (Cumbria and Lancashire)",
        "NW/DIP/2008/003",
        _S.SIGNED,
        date(2008, 9, 1),
        date(2011, 8, 31),
        480 * pounds(4_500),
        6,
        PaymentMechanism.FIXED,
        _CONTRACT_MANAGER,
        "One extension of 12 months, to 31 August 2012.",
        "Either party on six months' notice after the first year.",
        {PREVIOUS_YEAR: ((DRR, 280, pounds(4_500)),), CURRENT_YEAR: ((DRR, 470, pounds(4_500)),)},
        (
            VariationRow(
                VariationKind.VALUE,
                date(2009, 4, 1),
                "Efficiency saving agreed at annual review: ten fewer commencements.",
                value_change=-10 * pounds(4_500),
            ),
        ),
        notes=ILLUSTRATIVE,
    ),
    ContractRow(
        "A4e",
        "ESF co-financed employment, training and education programme",
        "NW/ESF/2009/001",
        _S.SIGNED,
        date(2009, 4, 1),
        date(2011, 3, 31),
        2800 * pounds(1_125),
        3,
        PaymentMechanism.PBR,
        _CONTRACT_MANAGER,
        "Extension to March 2012 subject to ESF funding.",
        "Authority on three months' notice if ESF funding is withdrawn.",
        {CURRENT_YEAR: ((ETE, 2800, pounds(1_125)),)},
        pbr_share=25,
        notes="A quarter of the price is paid on verified job and learning outcomes. "
        + ILLUSTRATIVE,
    ),
    ContractRow(
        "Sova",
        "Through-the-gate mentoring and family support",
        "NW/VCS/2009/021",
        _S.AGREED,
        date(2009, 10, 1),
        date(2010, 9, 30),
        600 * pounds(500),
        3,
        PaymentMechanism.FIXED,
        _CONTRACT_MANAGER,
        "Two extensions of 12 months each.",
        "Authority on three months' notice.",
        {CURRENT_YEAR: ((FAMILIES, 300, pounds(500)),)},
        notes="Agreed; awaiting signature. " + ILLUSTRATIVE,
    ),
)
