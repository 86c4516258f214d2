"""The demo's key milestones, with dates as written and their best reading."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dom_desk.demo.plan.roles import (
    COMMISSIONING,
    COMPETITIONS,
    CONTRACTS,
    DOM,
    FINANCE,
    PARTNERSHIPS,
    PERFORMANCE,
)


class MilestoneRow(NamedTuple):
    reference: str
    title: str
    owner: str
    due: date | None
    due_text: str
    done: date | None
    priority: int | None
    notes: str = ""


MILESTONES: tuple[MilestoneRow, ...] = (
    MilestoneRow(
        "M01",
        "Publish the regional commissioning plan 2009-10",
        DOM,
        date(2009, 4, 30),
        "April 2009",
        date(2009, 5, 12),
        2,
    ),
    MilestoneRow(
        "M02",
        "Conclude 2009-10 SLAs with all public providers",
        COMMISSIONING,
        date(2009, 6, 30),
        "June 2009",
        None,
        4,
        "Liverpool, Lancashire, Cumbria, Lancaster Castle and Kennet outstanding.",
    ),
    MilestoneRow(
        "M03",
        "Buckley Hall: call for competition issued",
        COMPETITIONS,
        date(2009, 6, 30),
        "June 2009",
        date(2009, 6, 30),
        4,
    ),
    MilestoneRow(
        "M04",
        "Demand and site information for new build Cluster 1 to NOMS",
        COMPETITIONS,
        date(2009, 7, 1),
        "Summer 2009",
        date(2009, 8, 21),
        4,
    ),
    MilestoneRow(
        "M05",
        "Refresh the regional Reducing Re-offending Action Plan",
        PARTNERSHIPS,
        date(2009, 9, 30),
        "September 2009",
        date(2009, 10, 2),
        3,
    ),
    MilestoneRow(
        "M06",
        "ESF co-financed ETE contract: six-month review",
        CONTRACTS,
        date(2009, 10, 30),
        "October 2009",
        None,
        3,
    ),
    MilestoneRow(
        "M07",
        "Re-let housing and debt advice in prisons (Shelter extension ends March 2010)",
        CONTRACTS,
        date(2010, 1, 29),
        "January 2010",
        None,
        3,
    ),
    MilestoneRow(
        "M08",
        "Provisional 2010-11 allocations to providers",
        FINANCE,
        date(2010, 1, 31),
        "January 2010",
        None,
        4,
    ),
    MilestoneRow(
        "M09",
        "Best Value review of unpaid work: first review completed",
        COMMISSIONING,
        date(2010, 3, 31),
        "March 2010",
        None,
        6,
    ),
    MilestoneRow(
        "M10",
        "Cheshire, Cumbria and Lancashire become Probation Trusts",
        DOM,
        date(2010, 4, 1),
        "April 2010",
        None,
        4,
    ),
    MilestoneRow(
        "M11",
        "Women offenders: review of Styal and community provision (Corston)",
        COMMISSIONING,
        None,
        "Ongoing",
        None,
        5,
    ),
    MilestoneRow(
        "M12",
        "Quarterly performance reviews with every provider",
        PERFORMANCE,
        None,
        "Ongoing",
        None,
        2,
    ),
)
