"""The regional commissioning plan as a PDF (reportlab; no Qt).

``export_plan(wb, "2009-10", Path("plan.pdf"), final=False)`` writes the plan;
``load_template`` / ``save_template`` read and save which sections it has, in what
order, with the DOM's text. reportlab is imported only when a plan is exported.
"""

from dom_desk.plan.export import (
    ExportResult,
    export_plan,
    next_plan_version,
    plan_history,
    plan_years,
)
from dom_desk.plan.template import (
    CATALOGUE,
    SectionChoice,
    SectionSpec,
    default_template,
    load_template,
    save_template,
)

__all__ = [
    "CATALOGUE",
    "ExportResult",
    "SectionChoice",
    "SectionSpec",
    "default_template",
    "export_plan",
    "load_template",
    "next_plan_version",
    "plan_history",
    "plan_years",
    "save_template",
]
