"""The demo's providers: real North West prisons, probation areas and organisations;
capacities, caseloads and operators' details illustrative.
"""

from __future__ import annotations

from typing import NamedTuple

from dom_desk.models import (
    ProviderKind,
    Sector,
)


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
