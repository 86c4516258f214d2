"""Measures as a DOM keeps them: list a year's, create, edit, retire, and set the years
a measure applies to and the parts of a multi-part target.

Every write is one transaction (the session's audit hooks record each change) and every
refused value is one sentence naming the field. A measure linked to no year applies to
every year, as every measure did before years were kept (the demo, older workbooks).
Parts are stored and shown with their measure; reporting and judging them separately
is not done yet.
"""

from dom_desk.domain.measures.checks import (
    FIELD_NAMES,
    PartView,
    check_together,
    clean_part,
    clean_parts,
    clean_value,
    decimal_value,
    enum_value,
    weight_value,
)
from dom_desk.domain.measures.store import (
    MeasureView,
    Retired,
    all_measures,
    check_code_free,
    create_measure,
    edit_measure,
    find_measure,
    link_years,
    measure_with_parts,
    measures_of_year,
    part_view,
    replace_parts,
    retire_from,
    retire_measure,
    set_measure_parts,
    set_measure_years,
    view,
    years_after_retiring,
)

__all__ = [
    "FIELD_NAMES",
    "MeasureView",
    "PartView",
    "Retired",
    "all_measures",
    "check_code_free",
    "check_together",
    "clean_part",
    "clean_parts",
    "clean_value",
    "create_measure",
    "decimal_value",
    "edit_measure",
    "enum_value",
    "find_measure",
    "link_years",
    "measure_with_parts",
    "measures_of_year",
    "part_view",
    "replace_parts",
    "retire_from",
    "retire_measure",
    "set_measure_parts",
    "set_measure_years",
    "view",
    "weight_value",
    "years_after_retiring",
]
