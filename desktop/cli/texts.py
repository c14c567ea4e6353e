"""The command line's help in two languages.

Help texts are (zh, en) pairs, like the MESSAGES table: a command module passes the pair as `help=` to
`add_argument` and `add_parser`, and the parser built for the chosen language keeps one of the two
(`parser_class(lang)`). A command's pair is both its line in its group's list and the description on
its own help page. Help is chosen when the parser is built; `build_parser(lang)` builds one for the
language of the run (`--lang`, Chinese by default).

argparse's own words ("usage:", "options", "the following arguments are required: %s", ...) are looked
up through argparse's module-level gettext function `_` when they are used. A Chinese parser puts a
small table of its own in its place while it builds, parses or formats help (`argparse_words`), and
restores the original afterwards, so other uses of argparse in the same program are not affected
(except one running at the same moment in another thread).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

Pair = tuple[str, str]


def zh_en(zh: str, en: str) -> Pair:
    """A help text in Chinese and in English."""
    return zh, en


# argparse's words (Python 3.11 and later) in Chinese; a word not here stays as argparse has it.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 须给出其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值：%(value)r（可选：%(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}

# Help texts several commands share.
WORKER: Pair = zh_en("参保人：身份证号码、护照号码或社会保障号码",
                     "the person: ID number, passport number or social security number")
EMPLOYER: Pair = zh_en("用人单位的统一社会信用代码", "the employer's unified social credit code")
REGION: Pair = zh_en("6位行政区划代码", "a 6-digit region code")
MONTH: Pair = zh_en("所属期，YYYY-MM", "the month, YYYY-MM")
FROM_MONTH: Pair = zh_en("起始月份，YYYY-MM", "first month, YYYY-MM")
TO_MONTH: Pair = zh_en("截止月份，YYYY-MM", "last month, YYYY-MM")
FROM_DATE: Pair = zh_en("起始日期，YYYY-MM-DD", "first day, YYYY-MM-DD")
TO_DATE: Pair = zh_en("截止日期，YYYY-MM-DD", "last day, YYYY-MM-DD")
ON_DATE: Pair = zh_en("日期，YYYY-MM-DD（默认：今天）", "the day, YYYY-MM-DD (default: today)")
YEAR: Pair = zh_en("年度，YYYY", "the year, YYYY")
REASON: Pair = zh_en("原因", "the reason")
OUT_PDF: Pair = zh_en("PDF 保存到此文件", "save the PDF to this file")
COUNTRY: Pair = zh_en("国家：ISO 3166 两位字母代码（如 DE）", "country: ISO 3166 two-letter code (e.g. DE)")
PREVIEW: Pair = zh_en("只计算，不写入", "compute only, write nothing")
CASE: Pair = zh_en("转移业务编号", "the transfer case number")
NAME: Pair = zh_en("账号名", "the account name")

COMMANDS: Pair = zh_en("命令", "commands")
COMMAND: Pair = zh_en("命令", "COMMAND")
HELP_FOR_COMMAND: Pair = zh_en("要执行的命令（见下）", "the command to run (see below)")


def _zh(text: str | None) -> str | None:
    return ARGPARSE_ZH.get(text, text) if text is not None else None


def _zh_n(singular: str, plural: str, n: int) -> str:
    text = singular if n == 1 else plural
    return ARGPARSE_ZH.get(text, text)


@contextmanager
def argparse_words(lang: str) -> Iterator[None]:
    """argparse's own words in `lang` inside the block (its originals again after it)."""
    if lang != "zh":
        yield
        return
    module = vars(argparse)
    saved = module["_"], module["ngettext"]
    module["_"], module["ngettext"] = _zh, _zh_n
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved


def pick(text: Pair | str | None, lang: str) -> str | None:
    """The text of a (zh, en) pair in `lang` (a plain text or None as it is)."""
    if isinstance(text, tuple):
        return text[0] if lang == "zh" else text[1]
    return text


if TYPE_CHECKING:
    _CommandsBase = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _CommandsBase = argparse._SubParsersAction


class _Commands(_CommandsBase):
    """A group's commands: `add_parser(name, help=(zh, en))` gives the command its list line and its
    description in the parser's language."""

    lang = "zh"

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        text = pick(kwargs.pop("help", None), self.lang)
        kwargs["description"] = pick(kwargs.get("description"), self.lang) or text
        return super().add_parser(name, help=text, **kwargs)


class Parser(argparse.ArgumentParser):
    """An argument parser whose help and argparse words are in `lang`; its sub-parsers are too."""

    lang = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for key in ("description", "epilog"):
            kwargs[key] = pick(kwargs.get(key), self.lang)
        with argparse_words(self.lang):
            super().__init__(*args, **kwargs)
        commands = type(f"{type(self).__name__}Commands", (_Commands,), {"lang": self.lang})
        self.register("action", "parsers", commands)

    def text(self, text: Pair | str | None) -> str | None:
        """A (zh, en) pair in this parser's language: for help given to argparse directly (e.g. to an
        argument in a mutually exclusive group)."""
        return pick(text, self.lang)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action") == "version" and "help" not in kwargs:
            kwargs["help"] = zh_en("显示版本号并退出", "show the version and exit")
        if "help" in kwargs:
            kwargs["help"] = pick(kwargs["help"], self.lang)
        with argparse_words(self.lang):
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("title", COMMANDS)
        kwargs.setdefault("metavar", COMMAND)
        kwargs.setdefault("help", HELP_FOR_COMMAND)
        for key in ("title", "description", "metavar", "help"):
            if key in kwargs:
                kwargs[key] = pick(kwargs[key], self.lang)
        with argparse_words(self.lang):
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with argparse_words(self.lang):
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with argparse_words(self.lang):
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_words(self.lang):
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with argparse_words(self.lang):
            super().error(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        with argparse_words(self.lang):
            super().exit(status, message)


_PARSERS: dict[str, type[Parser]] = {
    lang: type(f"Parser_{lang}", (Parser,), {"lang": lang}) for lang in ("zh", "en")}


def parser_class(lang: str) -> type[Parser]:
    """The parser class for `lang` ("zh" or "en"; anything else is Chinese)."""
    return _PARSERS.get(lang, _PARSERS["zh"])
