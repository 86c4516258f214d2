"""The scorecard accounts for every provider: scored, or said in words why not; equal
scores share a rank shown as a tie ("=1")."""

from __future__ import annotations

import re
from typing import Any

from dom_desk.domain.matrix import MatrixFilter, ProviderInfo
from dom_desk.domain.scorecard import (
    NO_FIGURES,
    NOT_APPLICABLE,
    build_scorecard,
    not_scored_sentences,
)
from dom_desk.models import ProviderKind, Sector


def test_the_demo_scorecard_says_why_the_others_are_not_scored(demo: Any) -> None:
    card = build_scorecard(demo)
    scored = {s.provider.name for s in card.scores}
    assert len(scored) == 5 and all("Probation" in name for name in scored)
    assert card.not_scored == (
        "22 providers not scored: no weighted measure applies to them in 2009-10 "
        "(15 public prisons, 4 voluntary sector providers, 2 contracted prisons, "
        "1 private company).",
    )
    # Every provider of the workbook is either on the card or counted in a sentence.
    left_off = sum(int(n) for n in re.findall(r"(\d+) [a-z]", card.not_scored[0].split("(")[1]))
    assert len(scored) + left_off == 27


def test_a_filter_by_kind_names_the_kind(demo: Any) -> None:
    prisons = frozenset({ProviderKind.PUBLIC_PRISON})
    card = build_scorecard(demo, spec=MatrixFilter(kinds=prisons))
    assert card.scores == ()
    assert card.not_scored == (
        "15 public prisons not scored: no weighted measure applies to them in 2009-10.",
    )


def test_ties_are_ranked_as_ties(demo: Any) -> None:
    card = build_scorecard(demo)
    ranks = [(s.rank_text, str(s.score)) for s in card.scores]
    # Three probation areas tie at 100.0; the next is fourth, not second.
    assert ranks[:3] == [("=1", "100.0")] * 3
    assert ranks[3][0] == "4" and ranks[4][0] == "5"


def test_one_provider_is_said_in_the_singular() -> None:
    vcs = ProviderInfo(1, "Nacro", ProviderKind.VCS, Sector.THIRD)
    trust = ProviderInfo(2, "Cheshire", ProviderKind.PROBATION_TRUST, Sector.PUBLIC)
    assert not_scored_sentences([(vcs, NOT_APPLICABLE), (trust, NO_FIGURES)], "2010-11") == (
        "1 voluntary sector provider not scored: no weighted measure applies to it in 2010-11.",
        "1 probation trust not scored: no figures returned on a weighted measure in 2010-11.",
    )
