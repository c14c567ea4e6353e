"""The command line for people: help in Chinese (the default) or English, every command and option
described, and text output in the chosen language only (JSON only with --json)."""

from __future__ import annotations

import argparse
import gettext
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, TODAY

from desktop import cli
from desktop.cli import output
from desktop.core.clock import Clock

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PERSON = "510107198511113215"


def parsers(p: argparse.ArgumentParser, path: str = "shebao") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, f"{path} {name}")


def help_texts(lang: str) -> list[tuple[str, str | None]]:
    """(where, text) of every description and help text of the parser tree but -h's."""
    found: list[tuple[str, str | None]] = []
    for path, p in parsers(cli.build_parser(lang)):
        found.append((path, p.description))
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            found.append((f"{path} {'/'.join(action.option_strings) or action.dest}", action.help))
            if isinstance(action, argparse._SubParsersAction):
                found += [(f"{path} {c.dest}", c.help) for c in action._choices_actions]
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_and_option_is_described_in_the_language(lang: str) -> None:
    texts = help_texts(lang)
    assert len(texts) > 300
    assert [where for where, text in texts if not text] == []
    if lang == "zh":
        assert [(where, text) for where, text in texts if text and not CJK.search(text)] == []
    else:
        assert [(where, text) for where, text in texts if text and CJK.search(text)] == []


def test_build_parser_without_a_language_is_chinese() -> None:
    assert CJK.search(cli.build_parser().format_help())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args), clock=Clock(day=lambda: TODAY))
    out, err = capsys.readouterr()
    return code, out, err


def test_subcommand_help_in_chinese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "worker", "register", "--help")
    assert code == 0
    assert "用法：shebao worker register" in out and "选项" in out and "显示本帮助并退出" in out
    assert "urban 城镇" in out and "rural 农村" in out
    assert "usage:" not in out and "show this help" not in out
    code, out, _ = run(capsys, "contrib", "record", "--help")
    assert "元" in out and "YYYY-MM" in out
    code, out, _ = run(capsys, "init", "--help")
    assert "6位行政区划代码" in out


def test_subcommand_help_in_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "worker", "register", "--help", "--lang", "en")
    assert code == 0
    assert out.startswith("usage: shebao worker register") and "options:" in out
    assert "urban" in out and "rural" in out
    assert not CJK.search(out)
    code, out, _ = run(capsys, "--lang", "en", "contrib", "record", "--help")
    assert "yuan" in out and "YYYY-MM" in out and not CJK.search(out)


def test_argparse_errors_in_the_language_and_argparse_left_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "worker")
    assert code == 2 and "错误" in err and "缺少必需的参数" in err and "用法" in err
    code, _, err = run(capsys, "worker", "register", "--name", "张三", "--retirement-group", "3")
    assert code == 2 and "无效的取值" in err
    code, _, err = run(capsys, "contrib", "record", "--worker")
    assert code == 2 and "需要一个值" in err
    code, _, err = run(capsys, "--lang", "en", "worker")
    assert code == 2 and "the following arguments are required" in err and not CJK.search(err)
    assert vars(argparse)["_"] is gettext.gettext  # the Chinese words are not left behind
    plain = argparse.ArgumentParser(prog="x")
    assert "usage:" in plain.format_help() and "show this help message and exit" in plain.format_help()


def _values(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for v in data.values():
            yield from _values(v)
    elif isinstance(data, list):
        for v in data:
            yield from _values(v)
    elif data is not None:
        yield str(data)


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any], str, set[str]]]:
    """Every text output of the test: (language, result, text, keys without a label)."""
    seen: list[tuple[str, dict[str, Any], str, set[str]]] = []
    original = output.human

    def human(result: dict[str, Any], lang: str, missing: set[str] | None = None) -> str:
        lacking: set[str] = set()
        text = original(result, lang, lacking)
        seen.append((lang, result, text, lacking))
        return text

    monkeypatch.setattr(output, "human", human)
    return seen


def test_text_output_in_the_language_only(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch,
                                          texts: list[tuple[str, dict[str, Any], str, set[str]]]) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.delenv("SHEBAO_USER", raising=False)
    monkeypatch.delenv("SHEBAO_PASSWORD", raising=False)
    db = str(tmp_path / "help.db")
    statement = str(tmp_path / "statement.pdf")
    commands: list[tuple[str, ...]] = [
        ("init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"),
        ("wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000", "--lang", "en"),
        ("employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"),
        ("worker", "register", "--id-number", PERSON, "--name", "张三", "--hukou-region", "510107",
         "--hukou-type", "rural", "--lang", "en"),
        ("contrib", "record", "--worker", PERSON, "--employer", EMPLOYER, "--month", "2026-10", "--wage", "7000"),
        ("contrib", "record", "--worker", PERSON, "--employer", EMPLOYER, "--month", "2026-11", "--wage", "7000",
         "--preview", "--lang", "en"),
        ("rate", "set", "--region", "360100", "--scheme", "injury", "--from", "2027-01", "--employer", "0.004",
         "--employee", "0"),
        ("limit", "set", "--region", "360100", "--from", "2027-01", "--floor", "0.6", "--ceiling", "3",
         "--lang", "en"),
        ("interest", "set", "--year", "2026", "--rate", "0.0262"),
        ("print", "statement", PERSON, "--out", statement),
        ("office", "keys", "rotate"),
    ]
    for lang in ("zh", "en"):
        commands += [(*c, "--lang", lang) for c in [
            ("worker", "show", PERSON), ("worker", "find", "zs"), ("account", PERSON),
            ("transfer", "plan", "--worker", PERSON, "--to-region", "110101"),
            ("transfer", "list",), ("history", "show", "--worker", PERSON), ("retirement", "--worker", PERSON),
            ("pension", "place", "--worker", PERSON), ("insured", "medical", "--worker", PERSON),
            ("resident", "years", "--worker", PERSON), ("agreement", "show", "DE"), ("exemption", "list"),
            ("document", "list", PERSON), ("sync", "status"), ("audit", "verify"), ("check",), ("forms", "check"),
            ("report", "transfers", "--year", "2026"), ("flexible", "cost"), ("audit", "views"),
            ("office", "keys", "history")]]
    for args in commands:
        code, out, err = run(capsys, "--db", db, *args)
        assert code == 0, (args, err)
        with pytest.raises(json.JSONDecodeError, match=r"^(Expecting value|Extra data): line 1 column "):
            json.loads(out)
    code, out, _ = run(capsys, "--db", db, "--json", "print", "statement", PERSON, "--out", statement)
    verification = json.loads(out)["verification_code"]
    for lang in ("zh", "en"):
        assert run(capsys, "--db", db, "verify", verification, "--lang", lang)[0] == 0

    assert len(texts) == len(commands) + 2
    assert {lang for lang, *_ in texts} == {"zh", "en"}
    for lang, result, text, lacking in texts:
        assert lacking == set(), (result, lacking)
        assert text.strip()
        values = sorted(set(_values(result)), key=len, reverse=True)
        for line in text.splitlines():
            if lang == "en":
                for v in values:
                    line = line.replace(v, "")
                assert not CJK.search(line), (text, line)
            elif "：" in line:
                name = line.split("：", 1)[0].strip().lstrip("- ")
                assert CJK.search(name) or not name[:1].isalpha(), (text, line)


def test_json_output_is_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.delenv("SHEBAO_USER", raising=False)
    db = str(tmp_path / "json.db")
    for args in [("init", "--office", "NC01", "--office-name", "南昌", "--region", "360100"),
                 ("wage", "set", "--region", "360000", "--year", "2026", "--monthly", "6000"),
                 ("employer", "register", "--uscc", EMPLOYER, "--name", "赣江机械", "--risk-class", "2"),
                 ("worker", "register", "--id-number", PERSON, "--name", "张三", "--hukou-region", "510107",
                  "--hukou-type", "rural"),
                 ("contrib", "record", "--worker", PERSON, "--employer", EMPLOYER, "--month", "2026-10",
                  "--wage", "7000"),
                 ("account", PERSON), ("worker", "find", "张"), ("audit", "verify"), ("check",),
                 ("transfer", "plan", "--worker", PERSON, "--to-region", "110101")]:
        for lang in ("zh", "en"):
            if lang == "en" and args[0] in ("init", "employer", "worker", "contrib") and args[1:2] != ("find",):
                continue  # written once
            code, out, err = run(capsys, "--db", db, "--json", "--lang", lang, *args)
            assert code == 0, (args, err)
            assert isinstance(json.loads(out), dict)
            assert out.count("\n") == 1
