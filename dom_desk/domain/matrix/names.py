"""A measure's short name, for a column heading: "Escapes from prison" over "KPI 3".

Measures carry only a code and their full wording (often a sentence of forty words with
the target's figure or a placeholder in it), so the short name is derived here:

1. the national wordings a DOM meets (NOMS KPIs, probation targets and measures, seeds
   001 and 002) are recognised by a phrase of their wording and named as the documents
   and DOMs speak of them ("Category A escapes", "Unpaid work completions");
2. any other wording is shortened by rule: a leading "Performance Target 9 (a):", a
   target figure ("90% of", "15,000", "Increase to 85% the proportion of") and lead-in
   words ("The percentage of", "Rate of") are dropped, the wording is cut where its
   condition starts ("to be", "is less than", "within", "in accordance with"), and the
   rest kept to a few whole words.

The full wording stays in the heading's tooltip.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Most words a derived short name keeps (whole words, never cut mid-word).
MAX_WORDS = 4
#: Longest a derived short name may be, in characters (two columns of a laptop screen).
MAX_CHARS = 26

#: (phrase of the wording, short name), tried in order; the first phrase found wins.
KNOWN: tuple[tuple[str, str], ...] = (
    (r"re-?offending", "Re-offending"),
    (r"category a escapes", "Category A escapes"),
    (r"escapes from contractor escorts", "Escort escapes"),
    (r"escapes from prison", "Escapes from prison"),
    (r"orders or licences successfully completed", "Orders completed"),
    (r"drug misuse", "Drug misuse"),
    (r"programme starts that meet", "Programme eligibility"),
    (r"offenders in employment at termination", "Employment at end"),
    (r"settled and suitable accommodation", "Accommodation at end"),
    (r"serious assaults", "Serious assaults"),
    (r"overcrowded", "Overcrowding"),
    (r"ethnic minority staff|minority ethnic staff", "Minority ethnic staff"),
    (r"staff sickness", "Staff sickness"),
    (r"high risk offenders", "High risk plans"),
    (r"victims to be contacted", "Victim contact"),
    (r"prolific and other priority offenders", "PPO plans"),
    (r"iccp completions", "ICCP completions"),
    (r"reports .* within the timescale", "Court reports on time"),
    (r"breach proceedings", "Breach action"),
    (r"offender complies", "Compliance"),
    (r"ecp/unpaid work|unpaid work", "Unpaid work completions"),
    (r"basic skills starts", "Basic skills starts"),
    (r"basic skills awards", "Basic skills awards"),
    (r"unemployed offenders find and keep", "Jobs found and kept"),
    (r"dtto/drr completions|drug rehabilitation requirement completions", "Drug order completions"),
    (
        r"dtto/drr commencements|drug rehabilitation requirement commencements",
        "Drug treatment starts",
    ),
    (r"domestic violence programme", "Domestic violence programmes"),
    (r"accredited programme completions", "Programme completions"),
    (r"race and ethnic monitoring", "Ethnic monitoring data"),
    (r"appointments to be arranged", "Appointments arranged"),
    (r"appointments to be attended", "Appointments attended"),
    (r"recommend a community order", "Low seriousness orders"),
    (r"suitable accommodation at end of order", "Accommodation gained"),
    (r"first contacts arranged", "First contacts"),
    (r"offenders starting a programme", "Programme starts"),
    (r"offenders completing a programme", "Programme completion rate"),
)
_KNOWN = tuple((re.compile(phrase, re.IGNORECASE), name) for phrase, name in KNOWN)

#: A leading "Performance Target 9 (a):" or "PT 3 -".
_LABEL = re.compile(
    r"^\s*(?:performance target|target|kpi|pt|pm)\s*\d+\w*\s*(?:\(\w\))?\s*[:\-–]\s*", re.I
)
#: A leading target figure: "90% of", "15,000", "Increase to 85% the proportion of".
_FIGURE = re.compile(
    r"^\s*(?:(?:increase|reduce|decrease) to\s+)?"
    r"(?:1 in (?:x|\d[\d,]*)|\d[\d,.]*\s*%?|x(?:\.x)?%?)\s*(?:of\s+)?",
    re.I,
)
#: Lead-in words that say nothing on their own.
_LEAD = re.compile(
    r"^\s*(?:no|fewer than|the|a|an|rate of|the rate of|%\s+of|"
    r"(?:the\s+)?(?:percentage|proportion|number|rate)\s+of)\s+",
    re.I,
)
#: Where the wording's condition or qualification starts.
_CUT = re.compile(
    r"\s(?:to be|is|are|does|do|not to|within|in accordance|as reflected|expressed|"
    r"where|who|that|for|by|across|during|at least|less than|more than|no more than)\s|[,;:(]",
    re.I,
)


@lru_cache(maxsize=4096)
def short_name(code: str, title: str) -> str:
    """The measure's short name; its code when the wording is empty."""
    for pattern, name in _KNOWN:
        if pattern.search(title):
            return name
    return derived_name(title) or code


def derived_name(title: str) -> str:
    """A short name shortened by rule from a wording no phrase of KNOWN matches."""
    text = _LABEL.sub("", title.strip())
    for _ in range(3):  # "Fewer than", then "1 in x"; "The percentage of", then "the"
        text = _LEAD.sub("", _FIGURE.sub("", text))
    cut = _CUT.search(text)
    if cut and cut.start() > 0:
        text = text[: cut.start()]
    words = text.split()[:MAX_WORDS]
    while len(words) > 1 and len(" ".join(words)) > MAX_CHARS:
        words.pop()
    while words and words[-1].casefold() in {
        "and",
        "or",
        "of",
        "the",
        "in",
        "on",
        "to",
        "a",
        "at",
        "with",
        "for",
    }:
        words.pop()
    name = " ".join(words).strip(" .-")
    return name[:1].upper() + name[1:]
