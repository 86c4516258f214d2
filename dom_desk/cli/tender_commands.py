"""A competition through to award from the command line.

dom-desk tender show      --db PATH --competition WORDS
dom-desk tender bidder    --db PATH --competition WORDS NAME [--withdrawn | --excluded]
dom-desk tender criterion --db PATH --competition WORDS NAME --weight N [--price] [--max N]
dom-desk tender price     --db PATH --competition WORDS --bidder NAME --service NAME
                          --volume N --unit-price £
dom-desk tender score     --db PATH --competition WORDS --bidder NAME --criterion NAME SCORE
dom-desk tender award     --db PATH --competition WORDS --bidder NAME --decided DATE
                          --start DATE --end DATE [--title T] [--reference REF] [--reason R]
                          [--kind K --sector S]
"""

from __future__ import annotations

import argparse
from datetime import date

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.money import format_pounds, parse_pounds
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    tender = commands.add_parser(
        "tender",
        help="a competition's bidders, criteria, scores and award",
        description="Bidders and their priced bids, quality and price criteria with "
        "weights adding to 100, scores, the weighted ranking, and the award that creates "
        "the new contract and ends the one it replaces.",
    )
    verbs = tender.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = verbs.add_parser(name, help=help_text, description=help_text)
        add_db(parser)
        parser.add_argument("--competition", required=True, metavar="WORDS", help="its subject")
        return parser

    show = verb("show", "the bidders, their points per criterion and the ranking")
    show.set_defaults(handler=_show)

    bidder = verb("bidder", "add a bidder (its bid starts from the current agreement's lines)")
    bidder.add_argument("name")
    state = bidder.add_mutually_exclusive_group()
    state.add_argument("--withdrawn", action="store_true", help="mark an existing bidder")
    state.add_argument("--excluded", action="store_true", help="mark an existing bidder")
    bidder.set_defaults(handler=_bidder)

    criterion = verb("criterion", "add an evaluation criterion with its weight in per cent")
    criterion.add_argument("name")
    criterion.add_argument("--weight", type=int, required=True, metavar="N")
    criterion.add_argument("--price", action="store_true", help="scored from the bids' prices")
    criterion.add_argument("--max", type=int, default=10, metavar="N", help="highest score")
    criterion.set_defaults(handler=_criterion)

    price = verb("price", "set a bid's volume and unit price for a service")
    price.add_argument("--bidder", required=True)
    price.add_argument("--service", required=True)
    price.add_argument("--volume", type=int, required=True)
    price.add_argument("--unit-price", required=True, metavar="£")
    price.set_defaults(handler=_price)

    score = verb("score", "enter a bidder's score for a quality criterion")
    score.add_argument("--bidder", required=True)
    score.add_argument("--criterion", required=True)
    score.add_argument("score")
    score.set_defaults(handler=_score)

    award = verb("award", "award the competition: creates the contract")
    award.add_argument("--bidder", required=True)
    for name in ("--decided", "--start", "--end"):
        award.add_argument(name, required=True, metavar="DD/MM/YYYY")
    award.add_argument("--title", default="")
    award.add_argument("--reference", default="", help="the new contract's reference")
    award.add_argument("--reason", default="", help="needed unless the bidder ranks first")
    award.add_argument("--kind", help="provider kind, for a bidder not yet a provider")
    award.add_argument("--sector", help="Public, Private or Third, with --kind")
    award.set_defaults(handler=_award)


def _show(args: argparse.Namespace) -> int:
    from dom_desk.domain import tenders

    wb = open_workbook(args.db, read_only=True)
    try:
        result = tenders.evaluation(wb, tenders.find(wb, args.competition).competition_id)
    finally:
        wb.close()
    print(f"{result.subject}: {len(result.bidders)} bidders")
    for c in result.criteria:
        print(f"  criterion {c.name} ({c.kind.label}, {c.weight}%)")
    for b in result.bidders:
        points = ", ".join(
            f"{c.name} {'-' if b.points[c.id] is None else f'{b.points[c.id]:.2f}'}"
            for c in result.criteria
        )
        total = "no total" if b.total is None else f"{b.total} of 100"
        status = "" if b.status.label == "Bidding" else f" [{b.status.label}]"
        rank = f"{b.rank_text}. " if b.rank_text else ""
        print(f"  {rank}{b.name}{status}: {total}; {tenders.price_text(b.price)}; {points}")
    for problem in result.problems:
        print(f"  No result yet: {problem}.")
    if result.award:
        a = result.award
        print(f"Awarded to {a.bidder} on {format_date(a.decided)}: {a.agreement_title}")
    return 0


def _bidder(args: argparse.Namespace) -> int:
    from dom_desk.domain import tenders
    from dom_desk.domain.kinds import BidderStatus

    wb = open_workbook(args.db)
    try:
        competition = tenders.find(wb, args.competition).competition_id
        if args.withdrawn or args.excluded:
            bidder = tenders.find(wb, args.competition, bidder=args.name).bidder_id
            assert bidder is not None
            status = BidderStatus.WITHDRAWN if args.withdrawn else BidderStatus.EXCLUDED
            tenders.set_bidder_status(wb, bidder, status)
            print(f"{args.name} is now {status.label.lower()}.")
            return 0
        tenders.add_bidder(wb, competition, args.name)
    finally:
        wb.close()
    print(f"Added bidder {args.name}.")
    return 0


def _criterion(args: argparse.Namespace) -> int:
    from dom_desk.domain import tenders
    from dom_desk.domain.kinds import CriterionKind

    kind = CriterionKind.PRICE if args.price else CriterionKind.QUALITY
    wb = open_workbook(args.db)
    try:
        competition = tenders.find(wb, args.competition).competition_id
        tenders.add_criterion(wb, competition, args.name, args.weight, kind, args.max)
        total = tenders.evaluation(wb, competition).weights_total
    finally:
        wb.close()
    print(
        f"Added {kind.label.lower()} criterion {args.name} ({args.weight}%); weights now {total}%."
    )
    return 0


def _price(args: argparse.Namespace) -> int:
    from dom_desk.domain import tenders

    unit_price = parse_pounds(args.unit_price, "--unit-price")
    wb = open_workbook(args.db)
    try:
        ids = tenders.find(wb, args.competition, bidder=args.bidder, service=args.service)
        assert ids.bidder_id is not None and ids.service_id is not None
        tenders.set_bid_line(wb, ids.bidder_id, ids.service_id, args.volume, unit_price)
    finally:
        wb.close()
    print(f"{args.bidder} bids {args.volume:,} at {format_pounds(unit_price)}.")
    return 0


def _score(args: argparse.Namespace) -> int:
    from dom_desk.domain import tenders

    wb = open_workbook(args.db)
    try:
        ids = tenders.find(wb, args.competition, bidder=args.bidder, criterion=args.criterion)
        assert ids.bidder_id is not None and ids.criterion_id is not None
        stored = tenders.set_score(wb, ids.bidder_id, ids.criterion_id, args.score)
    finally:
        wb.close()
    print(f"{args.bidder} scores {stored} for {args.criterion}.")
    return 0


def _award(args: argparse.Namespace) -> int:
    from dom_desk.domain import tenders
    from dom_desk.domain.kinds import ProviderKind, Sector

    try:
        kind = ProviderKind(ProviderKind.from_label(args.kind)) if args.kind else None
        sector = Sector(Sector.from_label(args.sector)) if args.sector else None
    except ValueError as exc:
        raise ValidationError(str(exc), "--kind/--sector") from None
    wb = open_workbook(args.db)
    try:
        ids = tenders.find(wb, args.competition, bidder=args.bidder)
        assert ids.bidder_id is not None
        done = tenders.award(
            wb,
            ids.competition_id,
            ids.bidder_id,
            decided=_day(args.decided, "--decided"),
            start=_day(args.start, "--start"),
            end=_day(args.end, "--end"),
            title=args.title,
            reference=args.reference,
            reason=args.reason,
            provider_kind=kind,
            sector=sector,
        )
    finally:
        wb.close()
    print(f"Created {done.title}, {format_pounds(done.annual_value)} a year. {done.incumbent}")
    return 0


def _day(text: str, where: str) -> date:
    day = parse_date(text, where)
    if day is None:
        raise ValidationError("a date is needed (write it like 31/03/2010)", where)
    return day
