"""The demo's targets: 2009-10 by provider group, with the exceptions, the counts worked
out from caseloads and service lines, and the previous year's. 2008-09's are seed 000's
printed targets where it prints one for the provider's side (prisons or probation);
every other target is illustrative, and each target's notes say which it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from dom_desk.demo.data import (
    CURRENT_YEAR,
    DRR,
    ILLUSTRATIVE,
    PREVIOUS_YEAR,
    PROGRAMMES,
    UNPAID_WORK,
)

# -- targets ------------------------------------------------------------------------------
# 2009-10 targets by provider group (prison function or "probation"); National measures
# take their national value and are not listed. Values are per cent, days or counts.

_PUBLIC_PRISONS = ("local", "cat_b", "cat_c", "open", "women", "yoi", "yoi_open")


def _prisons(*values: str) -> dict[str, str]:
    """Values for each public prison function in order, then contracted prisons if given."""
    groups = (*_PUBLIC_PRISONS, "contracted")[: len(values)]
    return dict(zip(groups, values, strict=True))


GROUP_TARGETS: dict[str, dict[str, str]] = {
    "KPI 5": {"probation": "72"},
    #                 local  cat_b  cat_c  open   women  yoi    yoi_o  contracted
    "KPI 6": _prisons("9.5", "8.0", "8.5", "5.0", "7.0", "5.5", "4.5", "9.5"),
    "KPI 8": _prisons("24", "20", "28", "45", "18", "25", "40", "24") | {"probation": "42"},
    "KPI 9": _prisons("80", "82", "84", "90", "78", "85", "88", "80") | {"probation": "73"},
    "KPI 10": _prisons("1.6", "1.4", "1.0", "0.3", "1.2", "2.8", "0.8", "1.6"),
    "KPI 12": _prisons(*["10.5"] * 7) | {"probation": "9.5"},
    "KPI 13": _prisons("6.0", *["4.5"] * 6) | {"probation": "4.5"},
    "PT 13": {"probation": "4.5"},
    "PM 3": {"probation": "10"},
    "PM 4": {"probation": "75"},
    "PM 7": {"probation": "80"},
    "PM 8": {"probation": "75"},
}

#: Where one provider's target differs from its group's.
PROVIDER_TARGETS: dict[tuple[str, str], str] = {
    ("HMP Manchester", "KPI 13"): "8.0",
    ("Greater Manchester Probation Trust", "KPI 13"): "9.0",
    ("Greater Manchester Probation Trust", "PT 13"): "9.0",
    ("Merseyside Probation Trust", "KPI 13"): "6.5",
    ("Merseyside Probation Trust", "PT 13"): "6.5",
    ("Lancashire Probation Area", "KPI 13"): "6.0",
    ("Lancashire Probation Area", "PT 13"): "6.0",
    ("Merseyside Probation Trust", "KPI 5"): "73",
    ("Lancashire Probation Area", "KPI 5"): "74",
    ("Cheshire Probation Area", "KPI 5"): "75",
    ("Cumbria Probation Area", "KPI 5"): "76",
    # Voluntary and private providers: one or two locally set measures each.
    ("Nacro", "KPI 9"): "75",
    ("Shelter", "KPI 9"): "80",
    ("Shelter", "PM 4"): "70",
    ("Addaction", "PT 11"): "190",
    ("Addaction", "PM 5"): "470",
    # The DRR treatment provider's share of the first contacts (the counts above are
    # 2008-09's only: in 2009-10 the contract's volumes carry them).
    ("Addaction", "PM 6"): "90",
    ("Sova", "KPI 8"): "30",
    ("A4e", "KPI 8"): "35",
    ("A4e", "PT 10"): "900",
}

#: Yearly counts as a share of the caseload (probation areas), when no service line
#: buys the volume.
COUNT_PER_CASELOAD: dict[str, str] = {
    "PT 4": "0.0015",
    "PT 8": "0.37",
    "PT 9a": "0.28",
    "PT 9b": "0.057",
    "PT 10": "0.10",
    "PT 11": "0.028",
    "PT 12": "0.10",
    "PM 5": "0.11",
    "DV": "0.008",
}
#: Count targets that equal the volume the SLA buys (service name).
COUNT_FROM_LINE: dict[str, str] = {"PT 8": UNPAID_WORK, "PM 5": DRR, "PT 12": PROGRAMMES}

NOMS_PLAN = "NOMS Agency Strategic and Business Plans 2009-10 to 2010-11"


class Printed(NamedTuple):
    """A target seed 000 prints for a year: where, and the figure for each side."""

    where: str
    prison: str | None = None
    probation: str | None = None

    def groups(self) -> dict[str, str]:
        """The figure for each provider group it is printed for."""
        found = dict.fromkeys((*_PUBLIC_PRISONS, "contracted"), self.prison) if self.prison else {}
        return found | ({"probation": self.probation} if self.probation else {})


#: Targets seed 000 prints, by year and measure: 2008-09's "agreed performance targets"
#: (paras 96 to 102) and the two figures its 2009-10 KPI table prints (the rest are "x").
PRINTED: dict[str, dict[str, Printed]] = {
    PREVIOUS_YEAR: {
        "KPI 2": Printed("para 102", prison="0"),  # no Category A escapes
        "KPI 3": Printed("para 102", prison="0.05"),  # escapes, % of the population
        "KPI 5": Printed("para 96", probation="70"),  # orders or licences completed
        "KPI 6": Printed("para 98", prison="9.3"),  # positive mandatory drug tests
        "KPI 7": Printed("para 96", probation="81"),  # programme starts in the community
        "KPI 8": Printed("para 100", prison="26", probation="40"),  # employment
        "KPI 9": Printed("para 100", prison="80", probation="71"),  # accommodation
    },
    CURRENT_YEAR: {
        "KPI 2": Printed("the 2009-10 KPI table", prison="0"),
        "KPI 11": Printed("the 2009-10 KPI table (National <26%)", prison="26"),
    },
}

#: 2008-09 targets where they differed from 2009-10's: seed 000's printed figures (every
#: prison or probation area held to the national level) and staff sickness (illustrative).
PREVIOUS_GROUP_TARGETS: dict[str, dict[str, str]] = {
    code: printed.groups() for code, printed in PRINTED[PREVIOUS_YEAR].items()
} | {"KPI 12": _prisons(*["11.0"] * 7) | {"probation": "10.0"}}


def target_note(code: str, group: str, label: str, value: Decimal) -> str:
    """Where a set target comes from: seed 000's printed figure, or invented."""
    printed = PRINTED.get(label, {}).get(code)
    figure = printed.groups().get(group) if printed else None
    if printed is not None and figure is not None and Decimal(figure) == value:
        return f"As published for {label}: {NOMS_PLAN}, {printed.where}."
    return ILLUSTRATIVE


#: 2008-09 count targets as a share of 2009-10's (volumes grew).
PREVIOUS_COUNT_PERCENT = 97

#: 2009-10 targets not yet agreed ("[x]%" in the draft SLA): left empty.
UNSET_TARGETS: frozenset[tuple[str, str]] = frozenset(
    {
        ("HMP Lancaster Castle", "KPI 8"),
        ("HMP Lancaster Castle", "KPI 9"),
        ("HMP Kennet", "KPI 6"),
        ("Cumbria Probation Area", "PM 8"),
    }
)
