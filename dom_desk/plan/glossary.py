"""Abbreviations a plan may use, from DOMAIN.md's glossary and seed 003's (the National
Commissioning Plan 2007/08), and which of them a plan actually uses.

Where seed 003's glossary expands a term, the expansion is its wording (IDAP, IDTS, IPP,
MQPL); OGRS, which it does not expand, is the NPS Business Plan 2005-06's (seed 001,
Annex D). Where the published plans expand a term differently (HMIP, ICCP), the meaning
gives each, naming the plan, so a reader of either recognises it."""

from __future__ import annotations

import re
from collections.abc import Iterable

TERMS: dict[str, str] = {
    "AP": "Approved premises",
    "ATB": "Attitudes, thinking and behaviour",
    "BME": "Black and minority ethnic",
    "BV": "Best Value review",
    "CARATS": "Counselling, Assessment, Referral, Advice and Throughcare Services: drug "
    "services for prisoners in custody",
    "CDEL": "Capital budget (capital departmental expenditure limit)",
    "CDRP": "Crime and Disorder Reduction Partnership",
    "CJA": "Criminal Justice Act",
    "CJS": "Criminal Justice System",
    "CPA": "Contract package area (one per Community Rehabilitation Company)",
    "CRC": "Community Rehabilitation Company",
    "DAAT": "Drug and Alcohol Action Team",
    "DIP": "Drug Interventions Programme",
    "DOM": "Director of Offender Management",
    "DRR": "Drug Rehabilitation Requirement",
    "DTTO": "Drug Treatment and Testing Order",
    "ECP": "Enhanced Community Punishment (unpaid work)",
    "ESF": "European Social Fund",
    "ETE": "Education, training and employment",
    "ETS": "Enhanced Thinking Skills",
    "GSI": "Government Secure Intranet",
    "HDC": "Home Detention Curfew",
    "HMCIP": "HM Chief Inspectorate of Prisons",
    "HMIP": "HM Inspectorate of Probation in the National Commissioning Plan 2007/08; "
    "HM Inspectorate of Prisons in the HMPPS Business Plan 2018-19",
    "HMP": "Her Majesty's Prison: holds adult offenders",
    "HMP & YOI": "HM Prison and Young Offender Institution",
    "HMPS": "Her Majesty's Prison Service",
    "HMYOI": "HM Young Offender Institution: holds young offenders (18 to 21)",
    "ICCP": "Intensive Control and Change Programme in the NPS Business Plan 2005-06; "
    "Intensive Change and Control Programme in the National Commissioning Plan 2007/08",
    "IDAP": "Intensive Domestic Abuse Programme",
    "IDTS": "Integrated Drug Treatment Scheme",
    "IPP": "Indeterminate Public Protection",
    "ITT": "Invitation to tender",
    "KPI": "Key performance indicator",
    "KPT": "Key performance target",
    "LAA": "Local Area Agreement",
    "LCJB": "Local Criminal Justice Board",
    "LSC": "Learning and Skills Council",
    "MAPPA": "Multi-Agency Public Protection Arrangements",
    "MQPL": "Measure of the Quality of Prison Life",
    "NOMIS": "National Offender Management Information System",
    "NOMS": "National Offender Management Service",
    "NPS": "National Probation Service",
    "OASys": "Offender Assessment System",
    "OGRS": "Offender Group Reconviction Score",
    "OLASS": "Offender Learning and Skills Service",
    "OM": "Offender management",
    "PbR": "Payment by results",
    "PCT": "Primary Care Trust",
    "PPO": "Prolific and other priority offender",
    "PQQ": "Prequalification questionnaire",
    "PSA": "Public Service Agreement",
    "PSR": "Pre-sentence report",
    "RDEL": "Resource budget (resource departmental expenditure limit)",
    "ROM": "Regional Offender Manager (Director of Offender Management in Wales)",
    "RoSH": "Risk of serious harm",
    "SLA": "Service level agreement",
    "VCS": "Voluntary and community sector",
    "YOI": "Young Offender Institution",
}


def _pattern() -> re.Pattern[str]:
    """Every term at once, longest first, whole words (or their plural) only and case as
    written ("AP" is not "approved"; "Ap" is not "AP"): one pass finds them all."""
    alternatives = sorted(TERMS, key=len, reverse=True)
    body = "|".join(r"\s*".join(re.escape(part) for part in term.split()) for term in alternatives)
    return re.compile(rf"(?<![A-Za-z0-9])({body})s?(?![A-Za-z0-9])")  # "SLAs" too


_PATTERN = _pattern()
_CANONICAL = {" ".join(term.split()).replace(" ", ""): term for term in TERMS}


def used_terms(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(abbreviation, meaning) for each term that appears in ``texts``, alphabetically."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(_CANONICAL["".join(m.split())] for m in _PATTERN.findall(text))
    return sorted(((t, TERMS[t]) for t in found), key=lambda tm: tm[0].casefold())
