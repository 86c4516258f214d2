"""Finding a provider from a name as someone typed it ("Kirklevington" for "HMP Kirkclevington").

An exact match ignores case, spacing, punctuation and ``&`` versus ``and``, and counts
the provider's recorded aliases. Anything looser is a *close* match, which a caller must
confirm with the user before relying on it; two equally close providers are ambiguous.

In-transaction layer: :func:`match_provider` runs inside the transaction of the returns
import that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.models import Provider

#: Similarity (0-1, difflib's ratio on the names without prison prefixes) for a close match.
CLOSE_ENOUGH = 0.8
#: Candidates this close to the best are too close to choose between.
AMBIGUOUS_MARGIN = 0.04
_NOISE = frozenset({"hmp", "hmyoi", "yoi", "hm", "prison", "and", "the", "of"})


@dataclass(frozen=True)
class NameMatch:
    written: str
    provider_id: int | None
    #: The registered name matched (empty when nothing, or more than one, matched).
    name: str
    exact: bool
    score: float
    #: Other registered names about as close as the best (an ambiguous match).
    rivals: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.provider_id is not None

    def describe(self) -> str:
        """One sentence for a problem list or a confirmation question."""
        if self.exact:
            return f"'{self.written}' is {self.name}"
        if self.rivals:
            names = "', '".join(self.rivals)
            return f"'{self.written}' could be any of '{names}'"
        if self.found:
            return f"'{self.written}' is close to the registered provider '{self.name}'"
        nearest = f" (the nearest is '{self.name}')" if self.name else ""
        return f"'{self.written}' is not a registered provider{nearest}"


def normal_name(text: str) -> str:
    """Lower case, ``&`` as ``and``, punctuation and repeated spaces removed."""
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def core_name(text: str) -> str:
    """The distinctive part of a name: "HMP & YOI Doncaster" -> "doncaster"."""
    words = [w for w in normal_name(text).split() if w not in _NOISE]
    return " ".join(words) or normal_name(text)


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_match(written: str, candidates: Iterable[tuple[int, str, str]]) -> NameMatch:
    """Matches ``written`` against ``(id, name, aliases)`` triples (aliases one per line)."""
    wanted = normal_name(written)
    wanted_core = core_name(written)
    scored: list[tuple[float, int, str]] = []
    for provider_id, name, aliases in candidates:
        spellings = [name, *(a for a in aliases.splitlines() if a.strip())]
        if any(normal_name(s) == wanted for s in spellings):
            return NameMatch(written, provider_id, name, exact=True, score=1.0)
        score = max(_similarity(wanted_core, core_name(s)) for s in spellings)
        scored.append((score, provider_id, name))
    scored.sort(key=lambda item: -item[0])
    if not scored or scored[0][0] < CLOSE_ENOUGH:
        return NameMatch(
            written,
            None,
            scored[0][2] if scored else "",
            exact=False,
            score=scored[0][0] if scored else 0.0,
        )
    best_score, best_id, best_name = scored[0]
    rivals = tuple(
        name
        for score, _, name in scored[1:]
        if score >= CLOSE_ENOUGH and best_score - score < AMBIGUOUS_MARGIN
    )
    if rivals:
        return NameMatch(
            written, None, "", exact=False, score=best_score, rivals=(best_name, *rivals)
        )
    return NameMatch(written, best_id, best_name, exact=False, score=best_score)


def match_provider(session: Session, written: str) -> NameMatch:
    """Matches ``written`` against the workbook's providers."""
    rows = session.execute(select(Provider.id, Provider.name, Provider.aliases))
    return best_match(written, ((r.id, r.name, r.aliases or "") for r in rows))


def remember_alias(provider: Provider, written: str) -> None:
    """Records a confirmed spelling so the next return spelled that way matches exactly."""
    known = [a for a in (provider.aliases or "").splitlines() if a.strip()]
    if normal_name(written) in {normal_name(s) for s in [provider.name, *known]}:
        return
    provider.aliases = "\n".join([*known, written.strip()])
