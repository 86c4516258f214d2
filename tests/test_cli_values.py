"""Extreme and mis-encoded command-line values: one sentence naming the option, exit code
non-zero, the workbook unchanged, no traceback, for every command; and the domain's own
parsers refusing the same figures for the window and imports."""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dom_desk.cli import _parser, main
from dom_desk.domain.limits import MAX_COUNT, MAX_PENCE, check_count, whole_number
from dom_desk.domain.money import parse_pounds
from dom_desk.domain.values import Kind, parse_value
from dom_desk.errors import ValidationError

HUGE = ["1e20", "1e309", "9" * 400, "-1e20", "1e999999999", "100000000000.01"]
SURROGATES = "Nacro \udcff\udcfe \ud800"  # as Python decodes a mis-encoded argv


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def region(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "region.domdesk"
    shutil.copyfile(demo_file, path)
    return path


def _contract(path: Path) -> str:
    """A contract reference of the demo, read without opening the workbook for editing."""
    from dom_desk.storage.file_checks import stored_rows

    return next(
        ref
        for _, kind, ref in stored_rows(path, "agreement", ["kind", "reference"])
        if kind == "CONTRACT" and ref
    )


def _refused(capsys, argv: list[str], option: str, path: Path) -> str:
    before = _digest(path)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code != 0, out
    assert "Traceback" not in out + err
    text = err.removeprefix("dom-desk: ").strip()
    assert "\n" not in text and text.startswith(option), err
    assert _digest(path) == before
    return text


@pytest.mark.parametrize("amount", HUGE)
def test_an_amount_no_region_could_hold_is_refused(region: Path, capsys, amount: str) -> None:
    argv = ["vary", "--db", str(region), _contract(region), "--effective", "31/03/2010"]
    text = _refused(capsys, [*argv, f"--value-change={amount}"], "--value-change", region)
    assert "no region could hold" in text


@pytest.mark.parametrize("percent", ["1e309", "9" * 400])
def test_a_huge_tolerance_is_refused_in_a_sentence_a_person_can_read(
    region: Path, capsys, percent: str
) -> None:
    before = _digest(region)
    code = main(["tolerance", "--db", str(region), "--measure", "PT 1", "--percent", percent])
    err = capsys.readouterr().err
    assert code != 0
    assert "tolerance must be from 0% to 100%" in err
    assert len(err) < 200, err  # the figure in short form, not hundreds of digits
    assert _digest(region) == before


def test_an_empty_required_date_is_refused(region: Path, capsys) -> None:
    argv = ["vary", "--db", str(region), _contract(region), "--effective", "", "--terms"]
    _refused(capsys, argv, "--effective", region)


def test_text_that_is_not_utf8_is_refused(region: Path, capsys) -> None:
    argv = ["vary", "--db", str(region), _contract(region), "--effective", "31/03/2010"]
    text = _refused(
        capsys, [*argv, "--terms", "--description", SURROGATES], "--description", region
    )
    assert "not valid text" in text


@pytest.mark.parametrize("option", ["--limit"])
def test_a_count_beyond_any_real_one_is_refused(region: Path, capsys, option: str) -> None:
    _refused(capsys, ["audit", "--db", str(region), option, "9" * 30], option, region)


def test_a_mis_encoded_argument_from_a_real_terminal_is_one_sentence(region: Path) -> None:
    """Bytes that are not UTF-8, as a terminal set to another encoding sends them."""
    before = _digest(region)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dom_desk",
            "vary",
            "--db",
            str(region),
            b"NOMS/\xff\xfe/2000",
            "--effective",
            "31/03/2010",
            "--terms",
        ],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"},
        check=False,
        timeout=60,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode != 0 and "Traceback" not in err
    assert err.startswith("dom-desk: CONTRACT: is not valid text"), err
    assert _digest(region) == before


# -- every option of every command -----------------------------------------------------


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*prefix, name))
            return
    if prefix:
        yield prefix, parser


def _filler(action: argparse.Action, db: Path) -> list[str]:
    """A valid value for an option other than the one under test, so that argparse
    reaches the bad one (a whole number where the option takes one)."""
    if action.dest == "db":
        value = str(db)
    elif action.choices:
        value = list(action.choices)[0]
    else:
        value = "1" if action.type is int else "x"
    return [action.option_strings[0], value] if action.option_strings else [value]


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return max(action.option_strings, key=len)
    return str(action.metavar or action.dest).upper()


def _cases(db: Path):
    """(argv, option) for every text option of every command, given mis-encoded text."""
    for words, parser in _commands(_parser()):
        actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
        groups = [g for g in parser._mutually_exclusive_groups if g.required]
        for bad in actions:
            if bad.nargs == 0 or bad.choices or bad.type not in (None, str, Path):
                continue
            argv = list(words)
            for action in actions:  # in the parser's order, so positionals stay in place
                if action is bad:
                    argv += [*bad.option_strings[:1], SURROGATES]
                elif action.required or not action.option_strings:
                    argv += _filler(action, db)
            for group in groups:
                if bad not in group._group_actions:
                    first = group._group_actions[0]
                    argv += [first.option_strings[0]] + ([] if first.nargs == 0 else ["x"])
            yield argv, _name(bad)


def test_every_text_option_of_every_command_refuses_mis_encoded_text(region: Path, capsys) -> None:
    cases = list(_cases(region))
    assert len(cases) > 30  # every command's options, not a handful
    for argv, option in cases:
        before = _digest(region)
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refusing the command line: also a sentence
            code = exc.code
        out, err = capsys.readouterr()
        assert code != 0, (argv, out)
        assert "Traceback" not in out + err, argv
        assert option in err and "not valid text" in err, (argv, err)
        assert _digest(region) == before


# -- the domain's parsers, for the window and the importers -----------------------------


@pytest.mark.parametrize("amount", HUGE)
def test_parse_pounds_refuses_what_no_region_could_hold(amount: str) -> None:
    with pytest.raises(ValidationError, match="no region could hold") as caught:
        parse_pounds(amount, "Value")
    assert caught.value.where == "Value"
    with pytest.raises(ValidationError, match="no region could hold"):
        parse_value(Kind.MONEY, amount, "Value")


def test_the_largest_amount_a_region_could_hold_is_kept_exactly() -> None:
    assert parse_pounds("£100,000,000,000") == MAX_PENCE
    assert parse_pounds("-100000000000") == -MAX_PENCE
    assert parse_pounds(10**11) == MAX_PENCE
    with pytest.raises(ValidationError):
        parse_pounds(10**11 + 1)


@pytest.mark.parametrize("text", ["9" * 400, "9" * 5000, "1000000001", "-1000000001"])
def test_whole_numbers_beyond_any_real_count_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="too large to be real"):
        parse_value(Kind.INTEGER, text, "Capacity")
    with pytest.raises(ValidationError, match="too large to be real"):
        whole_number(text, "Capacity")


def test_counts_within_the_limit_are_kept() -> None:
    assert parse_value(Kind.INTEGER, "1,000,000,000", "Capacity") == MAX_COUNT
    assert check_count(-5) == -5
