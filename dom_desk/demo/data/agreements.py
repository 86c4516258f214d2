"""The demo's agreements: yearly SLAs with public providers, and contracts with private
and voluntary ones, with their lines, variations and terms (all figures illustrative).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dom_desk.demo.data.region import CURRENT_YEAR, ILLUSTRATIVE, PREVIOUS_YEAR, pounds
from dom_desk.demo.data.services import (
    APPROVED_PREMISES,
    CUSTODY_DRUGS,
    CUSTODY_MEN,
    CUSTODY_WOMEN,
    CUSTODY_YOUNG,
    DEBT_ADVICE,
    DRR,
    ETE,
    FAMILIES,
    OFFENDER_MANAGEMENT,
    PROGRAMMES,
    RESETTLEMENT,
    UNPAID_WORK,
    VICTIM_CONTACT,
)
from dom_desk.models import (
    AgreementStatus,
    PaymentMechanism,
    VariationKind,
)

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
