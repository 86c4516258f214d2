"""`dev.py test` spreads the suite over the machine's cores unless told otherwise."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script_workers", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_whole_suite_runs_on_every_core(dev: ModuleType) -> None:
    assert dev.pytest_arguments(["-q"], 4) == ["-n", "auto", "-q"]


def test_a_chosen_worker_count_is_kept(dev: ModuleType) -> None:
    assert dev.pytest_arguments(["-n", "1", "tests/test_cli.py"], 4) == [
        "-n",
        "1",
        "tests/test_cli.py",
    ]
    assert dev.pytest_arguments(["-n3"], 4) == ["-n3"]
    assert dev.pytest_arguments(["-p", "no:xdist"], 4) == ["-p", "no:xdist"]


def test_one_core_runs_in_one_process(dev: ModuleType) -> None:
    assert dev.pytest_arguments(["-q"], 1) == ["-q"]
    assert dev.pytest_arguments([], None) == []
