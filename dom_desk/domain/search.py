"""Finding any record of the workbook by what someone remembers of it (Edit ▸ Find in
Workbook): a name, a title, a code, a reference, a provider's other name.

Forgiving as a person is: case, spacing and punctuation do not count ("BUCKLEY  hall",
"kpi 3" for "KPI3"), the words may come in any order, and a small misspelling still
finds the record ("Bukley"). A word naming a kind of record ("contract", "SLA", "risk")
is a hint, not a word the record must contain: "Buckley Hall contract" finds Buckley
Hall's agreements first. One read transaction of a few column-only SELECTs; the
matching is plain Python over a few hundred short strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.values import format_date
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Competition,
    FinancialYear,
    Measure,
    Milestone,
    Priority,
    Provider,
    Risk,
    Service,
)
from dom_desk.storage.workbook import Workbook

#: The areas searched, in the order equal scores are listed (the window's area keys).
AREAS = (
    "providers",
    "contracts",
    "agreements",
    "competitions",
    "measures",
    "services",
    "risks",
    "milestones",
    "priorities",
)
#: Words that name a kind of record, and the areas they point at.
_HINTS = {
    "provider": ("providers",),
    "prison": ("providers",),
    "contract": ("contracts", "agreements"),
    "agreement": ("agreements", "contracts"),
    "sla": ("agreements",),
    "competition": ("competitions",),
    "measure": ("measures",),
    "target": ("measures",),
    "service": ("services",),
    "risk": ("risks",),
    "milestone": ("milestones",),
    "priority": ("priorities",),
    "priorities": ("priorities",),
}
#: Words a person types that say nothing about which record.
_STOP = frozenset({"the", "of", "a", "an", "for", "in", "to", "s", "find", "show"})
#: difflib's ratio for a word to count as a misspelling of another ("bukley"/"buckley").
CLOSE = 0.8

_PUNCTUATION = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’]s\b")


@dataclass(frozen=True)
class Hit:
    """One record found."""

    #: The window's area key ("contracts", "risks", ...).
    area: str
    record_id: int
    title: str
    #: What the record is, for the result list ("Contract · HMP Forest Bank").
    what: str
    #: Why it matched ("reference NW/SLA/2009-10/05", "close to 'Bukley'").
    matched: str
    #: Higher is better (1.0 an exact name or code).
    score: float


class _Record:
    """A record as matched: its fields, normalised once."""

    __slots__ = (
        "area",
        "record_id",
        "title",
        "what",
        "squeezed_fields",
        "squeezed",
        "words",
        "tokens",
    )

    def __init__(
        self, area: str, record_id: int, title: str, what: str, fields: Iterable[tuple[str, str]]
    ) -> None:
        self.area, self.record_id, self.title, self.what = area, record_id, title, what
        normals = [(label, text, normal(text)) for label, text in fields if text]
        #: (what the field is, its text, its normal form without spaces), in the order a
        #: match is reported.
        self.squeezed_fields = [(label, text, n.replace(" ", "")) for label, text, n in normals]
        if not self.squeezed_fields:
            self.squeezed_fields = [("title", title, "")]
        words = " ".join(n for _label, _text, n in normals).split()
        self.squeezed = "".join(words)
        self.words = frozenset(words)
        # Two words run together ("bucklyhall") are compared with the two words joined.
        self.tokens = self.words | {a + b for a, b in zip(words, words[1:], strict=False)}


def normal(text: str) -> str:
    """Lower case, ``&`` as ``and``, no possessive 's, punctuation as single spaces."""
    text = _POSSESSIVE.sub("", text.casefold().replace("&", " and "))
    return " ".join(_PUNCTUATION.sub(" ", text.replace("_", " ")).split())


def named_kinds(text: str) -> tuple[str, ...]:
    """The areas the words of ``text`` name ("Buckley Hall contract": contracts), so the
    window can say when none of that kind matched."""
    found = [_HINTS[_singular(w)][0] for w in normal(text).split() if _singular(w) in _HINTS]
    return tuple(dict.fromkeys(found))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and word != "priorities" else word


def search(
    wb: Workbook, text: str, year_label: str | None = None, limit: int = 50
) -> tuple[Hit, ...]:
    """The records matching ``text``, best first (at most ``limit``). SLAs and
    priorities are the year's (the year shown, or the workbook's current year)."""
    query = normal(text)
    if not query:
        return ()
    with wb.session() as session:
        year = None
        if year_label:
            year = year_by_label(session, year_label)
        elif session.scalar(select(FinancialYear.id).limit(1)) is not None:
            year = current_year(session)
        records = list(_records(session, year))
    return _rank(records, query, limit)


# -- reading --------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _records(session: Session, year: FinancialYear | None) -> Iterable[_Record]:
    names: dict[int, str] = {}
    for pid, name, aliases, kind in session.execute(
        select(Provider.id, Provider.name, Provider.aliases, Provider.kind)
    ):
        names[pid] = name
        fields = [("name", name)] + [("other name", alias) for alias in _lines(aliases)]
        yield _Record("providers", pid, name, f"Provider · {kind.label}", tuple(fields))

    wanted = Agreement.kind == AgreementKind.CONTRACT
    if year is not None:
        wanted = or_(wanted, Agreement.year_id == year.id)
    for aid, kind, title, reference, provider_id, year_label in session.execute(
        select(
            Agreement.id,
            Agreement.kind,
            Agreement.title,
            Agreement.reference,
            Agreement.provider_id,
            FinancialYear.label,
        )
        .outerjoin(FinancialYear, FinancialYear.id == Agreement.year_id)
        .where(wanted)
    ):
        provider = names.get(provider_id, "")
        fields = (("title", title), ("reference", reference), ("provider", provider))
        if kind is AgreementKind.CONTRACT:
            yield _Record("contracts", aid, title, f"Contract · {provider}", fields)
        else:
            what = f"SLA {year_label} · {provider}" if year_label else f"SLA · {provider}"
            yield _Record("agreements", aid, title, what, fields)

    for cid, subject, kind, provider_id in session.execute(
        select(Competition.id, Competition.subject, Competition.kind, Competition.provider_id)
    ):
        provider = names.get(provider_id, "") if provider_id else ""
        yield _Record(
            "competitions",
            cid,
            subject,
            f"Competition · {kind.label}",
            (("subject", subject), ("provider", provider)),
        )

    for mid, code, title, area in session.execute(
        select(Measure.id, Measure.code, Measure.title, Measure.area)
    ):
        yield _Record(
            "measures",
            mid,
            f"{code} {title}",
            f"Measure · {code}",
            (("code", code), ("wording", title), ("area", area)),
        )

    for sid, name, pathway in session.execute(select(Service.id, Service.name, Service.pathway)):
        what = f"Service · {pathway.label}" if pathway else "Service"
        yield _Record("services", sid, name, what, (("name", name),))

    for rid, reference, description, owner in session.execute(
        select(Risk.id, Risk.reference, Risk.description, Risk.owner)
    ):
        first = (_lines(description) or [""])[0]
        yield _Record(
            "risks",
            rid,
            first,
            f"Risk · {reference}",
            (("reference", reference), ("description", description), ("owner", owner)),
        )

    for mid, reference, title, due, due_text in session.execute(
        select(
            Milestone.id, Milestone.reference, Milestone.title, Milestone.due, Milestone.due_text
        )
    ):
        when = due_text or (format_date(due) if due else "")
        what = " · ".join(part for part in ("Milestone", reference, when and f"due {when}") if part)
        yield _Record(
            "milestones",
            mid,
            (_lines(title) or [""])[0],
            what,
            (("reference", reference), ("title", title)),
        )

    if year is not None:
        for pid, number, title in session.execute(
            select(Priority.id, Priority.number, Priority.title).where(Priority.year_id == year.id)
        ):
            yield _Record(
                "priorities",
                pid,
                title,
                f"Priority {number} · {year.label}",
                (("title", title), ("number", f"priority {number}")),
            )


# -- matching -------------------------------------------------------------------------------


def _close_words(word: str, tokens: Iterable[str]) -> dict[str, float]:
    """The records' words within a small misspelling of ``word``, with difflib's ratio."""
    matcher = SequenceMatcher(None, "", word, autojunk=False)
    shortest, longest = len(word) * 0.6, len(word) / 0.6
    close: dict[str, float] = {}
    for token in tokens:
        if not shortest <= len(token) <= longest:
            continue  # too different in length to reach CLOSE
        matcher.set_seq1(token)
        if matcher.quick_ratio() >= CLOSE:
            ratio = matcher.ratio()
            if ratio >= CLOSE:
                close[token] = ratio
    return close


def _fuzzy_word(word: str) -> bool:
    """Whether a query word may be matched by a near spelling: not short words or codes
    ("kpi 3" must not find KPI 5)."""
    return len(word) >= 4 and not any(ch.isdigit() for ch in word)


def _found(word: str, record: _Record) -> bool:
    """A word is in a record: anywhere for letters, a whole word for a number or code
    part ("3" is not in "23")."""
    if any(ch.isdigit() for ch in word):
        return word in record.words
    return word in record.squeezed


def _rank(records: list[_Record], query: str, limit: int) -> tuple[Hit, ...]:
    compact = query.replace(" ", "")
    words = [w for w in query.split() if w not in _STOP] or query.split()
    hints: set[str] = set()
    for w in words:
        hints.update(_HINTS.get(_singular(w), ()))
    hits = _hits(records, compact, words, hints, None)
    if not hits:
        # Nothing as typed: small misspellings (only then, so a right spelling is not
        # crowded by near ones).
        every_token = {t for record in records for t in record.tokens}
        close = {w: _close_words(w, every_token) for w in words if _fuzzy_word(w)}
        hits = _hits(records, compact, words, hints, close)
    order = {area: i for i, area in enumerate(AREAS)}
    hits.sort(key=lambda h: (-h.score, order[h.area], h.title.casefold()))
    return tuple(hits[:limit])


def _hits(
    records: list[_Record],
    compact: str,
    words: list[str],
    hints: set[str],
    close: dict[str, dict[str, float]] | None,
) -> list[Hit]:
    hits: list[Hit] = []
    for record in records:
        found = _match(record, compact, words, close)
        if found is not None:
            score, matched = found
            if record.area in hints:
                score += 0.05
            hits.append(
                Hit(record.area, record.record_id, record.title, record.what, matched, score)
            )
    return hits


def _match(
    record: _Record, compact: str, words: list[str], close: dict[str, dict[str, float]] | None
) -> tuple[float, str] | None:
    # 1. The whole query, spaces aside, is a field or part of one.
    best: tuple[float, str] | None = None
    for rank, (label, text, squeezed) in enumerate(record.squeezed_fields):
        if compact not in squeezed:
            continue
        score = (1.0 if squeezed == compact else 0.85) - rank * 0.01  # a name before an alias
        if best is None or score > best[0]:
            best = (score, _why(label, text))
    if best is not None:
        return best
    # 2. Every word is somewhere in the record (a word naming the kind may be missing).
    needed = [w for w in words if _found(w, record) or not _HINTS.get(_singular(w))]
    if needed and all(_found(w, record) for w in needed):
        label, text = next(
            ((label, text) for label, text, sq in record.squeezed_fields if needed[0] in sq),
            record.squeezed_fields[0][:2],
        )
        return 0.7, _why(label, text)
    # 3. Every word is there or nearly (a misspelling), at least one only nearly.
    if close is None:
        return None
    ratios: list[float] = []
    near: list[str] = []
    for w in needed or words:
        if _found(w, record):
            ratios.append(1.0)
            continue
        candidates = close.get(w)
        if not candidates:
            return None
        ratio, token = max(
            ((candidates[t], t) for t in record.tokens if t in candidates), default=(0.0, "")
        )
        if not token:
            return None
        ratios.append(ratio)
        near.append(f"'{w}' is close to '{token}'")
    if not near:
        return None
    return 0.4 + 0.3 * sum(ratios) / len(ratios), "; ".join(near)


def _why(label: str, text: str) -> str:
    first = (_lines(text) or [""])[0]
    if len(first) > 60:
        first = first[:59] + "…"
    return f"{label}: {first}"
