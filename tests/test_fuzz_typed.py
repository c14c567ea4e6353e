"""Fuzz: values typed in (the reference tables, the record month, registering a person), through the
services the window and the command line share, and random command lines given to `shebao`'s main
function in this process. A case passes with success or a typed refusal, no traceback, and, when
refused, nothing written (and no file left behind for a command line).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EMPLOYER, TODAY
from fuzz_support import CORPUS, FUZZ, SPECIALS, Watch, fuzz_office, run_cli, typed
from hypothesis import given
from hypothesis import strategies as st

from desktop.cli import build_parser
from desktop.core.clock import Clock
from desktop.core.ledger import Ledger

ID = "510107198511113215"

# Text a clerk might type, and text nobody should: near-valid numbers, dates and months, the known
# bad values, and anything at all.
NEAR = ["7000", "7000.5", "7000.555", "0.16", "-1", "2026", "2026-10", "2026-08-31", "2026-02-29",
        "2026年10月", "202610", " 6500 ", "¥6500", "6,500", "1e3", "0x10", "٢٠٢٦", "３６０１００", "360000",
        "360100", "", " ", "\t", "张三", "=1+2", "+86", "@SUM", "nan", "inf", "9" * 41, "1" * 300]
typed_text = st.one_of(st.sampled_from(NEAR),
                       st.sampled_from([s.decode("utf-8", "replace") for s in SPECIALS]),
                       st.text(max_size=30),
                       st.text(alphabet="0123456789.-eE_ ٠١٢٣٤٥٦٧٨٩０１２", max_size=20))


@pytest.fixture(scope="module")
def office(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, Watch, Path]]:
    folder = tmp_path_factory.mktemp("fuzz-typed")
    db = folder / "office.db"
    ledger = fuzz_office(sqlite_template, folder, "OFF01", EMPLOYER, ID)
    files = folder / "out"
    files.mkdir()
    watch = Watch(db, files)
    yield ledger, watch, db
    watch.close()
    ledger.close()


def _calls(ledger: Ledger, a: str, b: str, c: str) -> list[Callable[[], object]]:
    return [
        lambda: ledger.reference.set_wage("360000", a, b),
        lambda: ledger.reference.set_wage(a, "2026", c),
        lambda: ledger.reference.set_rate("360100", "pension", a, b, c),
        lambda: ledger.reference.set_limits("360100", a, b, c),
        lambda: ledger.reference.set_interest(a, b),
        lambda: ledger.contributions.record(ID, EMPLOYER, a, b, preview=True),
        lambda: ledger.contributions.record(ID, EMPLOYER, "2026-10", a, c, preview=True),
        lambda: ledger.workers.register_citizen(a, b, "510107", "rural"),
        lambda: ledger.workers.register_citizen("11010519491231002X", a, b, c),
        lambda: ledger.employers.register(EMPLOYER, a, b, 2),
    ]


@FUZZ
@given(which=st.integers(0, 9), a=typed_text, b=typed_text, c=typed_text)
def test_typed_values(office: tuple[Ledger, Watch, Path], which: int, a: str, b: str, c: str) -> None:
    ledger, watch, _ = office
    outcome: dict[str, object] = {}
    with watch.unchanged_unless_done(outcome):
        outcome.update(typed(_calls(ledger, a, b, c)[which]))


def _commands() -> list[tuple[list[str], list[str]]]:
    """Every command of the parser: its words and its option strings."""
    out: list[tuple[list[str], list[str]]] = []

    def walk(parser: object, words: list[str]) -> None:
        import argparse

        assert isinstance(parser, argparse.ArgumentParser)
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        options = [s for a in parser._actions for s in a.option_strings if s not in ("-h", "--help")]
        if not subs:
            out.append((words, options))
        for sub in subs:
            for name, child in sub.choices.items():
                walk(child, [*words, name])

    walk(build_parser(), [])
    return out


COMMANDS = _commands()
# Commands that would wait for a person (a password typed in) or change the whole database when
# given good input are not drawn: the fuzz is about bad input.
SKIP = {("user", "passwd"), ("user", "add"), ("restore",), ("init",), ("demo",), ("doctor",)}
DRAWN = [c for c in COMMANDS if tuple(c[0]) not in SKIP]


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    words, options = draw(st.sampled_from(DRAWN))
    args = list(words)
    for _ in range(draw(st.integers(0, 5))):
        if options and draw(st.booleans()):
            args.append(draw(st.sampled_from(options)))
        args.append(draw(typed_text))
    if draw(st.integers(0, 9)) == 0:
        args.insert(draw(st.integers(0, len(args))), draw(st.sampled_from(["--json", "--lang", "en", "--help"])))
    return args


@FUZZ
@given(args=argv())
def test_command_line(office: tuple[Ledger, Watch, Path], args: list[str],
                      monkeypatch_module: pytest.MonkeyPatch) -> None:
    _, watch, db = office
    outcome: dict[str, object] = {}
    with watch.unchanged_unless_done(outcome):
        code, out, err = run_cli(["--db", str(db), *args], clock=Clock(day=lambda: TODAY))
        outcome.update(refused=code != 0, code=code, args=args)
    assert code in (0, 2, 3, 4, 5), (args, code, err[-2000:])
    assert "Traceback" not in err and "Traceback" not in out, (args, err[-2000:])
    assert len(err) < 5_000, (args, len(err))


@pytest.fixture(scope="module")
def monkeypatch_module(office: tuple[Ledger, Watch, Path]) -> Iterator[pytest.MonkeyPatch]:
    """No database from the environment; files a command writes go to the watched folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SHEBAO_DB", raising=False)
        mp.delenv("SHEBAO_USER", raising=False)
        mp.chdir(office[1].folder)
        yield mp


# The inputs once seen to crash or be misread, through the command line: exit 2, the field named,
# the value cut, nothing written.
REPRODUCED = [
    (["contrib", "record", "--month", "2026-10", "--wage", "1e999999999999"], "缴费工资：1e999999999999不是有效金额"),
    (["contrib", "record", "--month", "2026-10", "--wage", "٦٥٠٠"], "缴费工资：٦٥٠٠不是有效金额"),
    (["contrib", "record", "--month", "2026-10", "--wage", "6_500"], "缴费工资：6_500不是有效金额"),
    (["contrib", "record", "--month", "2026-10", "--wage", "9" * 5000], "缴费工资：" + "9" * 40 + "…不是有效金额"),
    (["contrib", "record", "--month", "2026-08-32", "--wage", "6500"], "所属期：2026-08-32不是有效月份（格式YYYY-MM）"),
    (["contrib", "record", "--month", "٢٠٢٦-١٠", "--wage", "6500"], "所属期：٢٠٢٦-١٠不是有效月份（格式YYYY-MM）"),
    (["wage", "set", "--region", "360000", "--year", "9" * 5000, "--monthly", "6000"], None),
]


@pytest.mark.parametrize(("args", "message"), REPRODUCED, ids=range(len(REPRODUCED)))
def test_reproduced_inputs_exit_2(office: tuple[Ledger, Watch, Path], args: list[str], message: str | None) -> None:
    _, watch, db = office
    if args[:2] == ["contrib", "record"]:
        args = [*args, "--worker", ID, "--employer", EMPLOYER, "--preview"]
    before = watch.version()
    code, out, err = run_cli(["--db", str(db), *args], clock=Clock(day=lambda: TODAY))
    assert (code, out) == (2, "")
    assert "Traceback" not in err and len(err) < 300
    if message is not None:
        assert err.strip() == message
    assert watch.version() == before


def test_a_damaged_pdf_given_to_verify_exits_2(office: tuple[Ledger, Watch, Path], tmp_path: Path) -> None:
    _, _, db = office
    pdf = Path(shutil.copy(CORPUS / "pdf" / "truncated.pdf", tmp_path / "文书.pdf"))
    code, out, err = run_cli(["--db", str(db), "--json", "--lang", "en", "verify", str(pdf)],
                             clock=Clock(day=lambda: TODAY))
    assert code == 2 and "Traceback" not in err
    assert json.loads(out)["error"] == {"code": "invalid_input", "field": "file", "key": "verify.pdf_damaged",
                                        "message": "file: the PDF file is damaged and cannot be read: PdfStreamError"}
