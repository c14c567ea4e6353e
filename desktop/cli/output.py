"""The command line's global options, its output (one JSON object, or text for people at a
terminal), its error reports and its exit codes.

Output rule: with --json, the result is printed as one JSON object on stdout (and nothing else);
without it, as text for people in the language of the run (--lang, Chinese by default), never as
JSON. The text of a person, a person list, a month's contributions, an account statement and a
flexible worker's payment has its own layout; any other result is shown as indented `label: value`
lines (`标签：值` in Chinese), a nested object or list indented under its label, with the labels
from desktop.cli.texts.RESULT_LABELS (then messages.FIELDS) and the values as they are (names, codes,
money as yuan text); true/false as 是/否 or yes/no, nothing as "-". Errors go to stderr in the
language of the run (with --json also as {"error": ...} on stdout).

Exit codes: 0 done, 2 invalid input, 3 refused by a rule, 4 conflict or integrity, 5 not allowed,
1 anything else. A reader that closes stdout early (`shebao ... | head -3`) changes none of them:
the code says what happened to the work, which was done (or refused) all the same; the rest of the
output is dropped without a word, as `cat` or `grep` would drop it, and no traceback is shown.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.cli.common import Verdict
from desktop.cli.doctor import human_lines as doctor_lines
from desktop.cli.flexible import human_lines as flexible_lines
from desktop.cli.texts import DATA_KEYED, RESULT_LABELS, WORDS, pick
from desktop.core.errors import ShebaoError
from desktop.core.messages import FIELDS, field_label
from desktop.core.refdata import schemes
from desktop.core.regions import name_of

_T = {
    "zh": {"sex.M": "男", "sex.F": "女", "urban": "城镇", "rural": "农村", "done": "完成", "base": "缴费基数",
           "account": "个人账户", "pooling": "统筹", "months": "个月", "range": "至", "preview": "（试算）",
           "floor": "下限", "ceiling": "上限", "(": "（", ")": "）", ", ": "，",
           "kind.regular": "正常缴费", "kind.back_payment": "补缴", "kind.lump_sum": "一次性补缴",
           "status.paid": "已缴费", "status.arrears": "欠费", "status.exempt": "免缴", "status.corrected": "已更正"},
    "en": {"sex.M": "male", "sex.F": "female", "urban": "urban", "rural": "rural", "done": "done", "base": "base",
           "account": "account", "pooling": "pooling", "months": "months", "range": "..", "preview": "(preview)",
           "floor": "floor", "ceiling": "ceiling", "(": "(", ")": ")", ", ": ", ",
           "kind.regular": "regular", "kind.back_payment": "back payment", "kind.lump_sum": "lump sum",
           "status.paid": "paid", "status.arrears": "arrears", "status.exempt": "exempt",
           "status.corrected": "corrected"},
}


@dataclass
class Globals:
    """The options every command accepts."""

    db: str | None
    json: bool
    lang: str
    key_passphrase_file: str | None = None


def split_globals(argv: Sequence[str]) -> tuple[Globals, list[str]]:
    """Take --db, --json, --lang and --key-passphrase-file out of argv wherever they stand."""
    rest: list[str] = []
    key_file: str | None = None
    db = os.environ.get("SHEBAO_DB")
    as_json = False
    lang = "zh"
    args = list(argv)
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        if a == "--json":
            as_json = True
        elif a in ("--db", "--lang", "--key-passphrase-file") and i + 1 < len(args):
            if a == "--db":
                db = args[i + 1]
            elif a == "--lang":
                lang = args[i + 1]
            else:
                key_file = args[i + 1]
            i += 1
        elif a.startswith("--key-passphrase-file="):
            key_file = a.split("=", 1)[1]
        elif a.startswith("--db="):
            db = a[5:]
        elif a.startswith("--lang="):
            lang = a[7:]
        else:
            rest.append(a)
        i += 1
    if lang not in ("zh", "en"):
        lang = "zh"
    return Globals(db, as_json, lang, key_file), rest


def label(key: str, parent: str, lang: str, missing: set[str] | None = None) -> str:
    """The label of a result key in `lang` (see RESULT_LABELS); a key with none is shown as it is and,
    when `missing` is given, added to it."""
    pair = RESULT_LABELS.get(f"{parent}.{key}") or RESULT_LABELS.get(key) or FIELDS.get(key)
    if pair is not None:
        return pair[0] if lang == "zh" else pair[1]
    if key in schemes():
        return schemes()[key].name(lang)
    if missing is not None:
        missing.add(f"{parent}.{key}" if parent else key)
    return key


def _word(name: str, lang: str) -> str:
    return pick(WORDS[name], lang) or ""


def _value(v: Any, lang: str) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, bool):
        return _word("yes" if v else "no", lang)
    if isinstance(v, list):
        return " ".join(_value(x, lang) for x in v)
    return str(v)


def _scalar(v: Any) -> bool:
    return not isinstance(v, dict) and not (isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v))


def readable(result: dict[str, Any], lang: str, missing: set[str] | None = None, parent: str = "",
             indent: str = "") -> list[str]:
    """A result as `label: value` lines, nested objects and lists indented under their label."""
    colon = _word("colon", lang)
    lines: list[str] = []
    raw = parent in DATA_KEYED
    for key, v in result.items():
        name = key if raw or not key[:1].isalpha() else label(key, parent, lang, missing)
        if isinstance(v, (dict, list)) and not v:
            lines.append(f"{indent}{name}{colon}{_word('none', lang)}")
        elif isinstance(v, list) and all(_scalar(x) for x in v):
            lines.append(f"{indent}{name}{colon}{_word('list', lang).join(_value(x, lang) for x in v)}")
        elif isinstance(v, dict):
            lines.append(f"{indent}{name}{colon}".rstrip())
            lines += readable(v, lang, missing, key, indent + "  ")
        elif isinstance(v, list):
            lines.append(f"{indent}{name}{colon}".rstrip())
            for item in v:
                block = (readable(item, lang, missing, key, indent + "    ") if isinstance(item, dict)
                         else [indent + "    " + _value(item, lang)])
                if block:
                    block[0] = indent + "  - " + block[0][len(indent) + 4:]
                lines += block
        else:
            lines.append(f"{indent}{name}{colon}{_value(v, lang)}")
    return lines


def _region(code: str, lang: str) -> str:
    """A region code, with its name in Chinese text (the names are Chinese only)."""
    return f"{code} {name_of(code)}" if lang == "zh" else code


def human(result: dict[str, Any], lang: str, missing: set[str] | None = None) -> str:
    """A readable rendering of a JSON result for people at a terminal, in `lang` (see the module's
    docstring). `missing` collects the keys that have no label (shown as they are)."""
    t = _T[lang]
    lines: list[str] = []
    if "checks" in result and "status" in result:
        lines += doctor_lines(result, lang)
    elif "ratio" in result and "months" in result:
        lines += flexible_lines(result, lang)
    elif isinstance(result.get("worker"), dict) and "schemes" not in result \
            and set(result) <= {"worker", "enrolments", "enrolment"}:
        w = result["worker"]
        lines.append(f"{w['name']}  {w['id_number'] or w['ssn']}  {t['sex.' + w['sex']]}  {w['birth_date']}"
                     + (f"  {_region(w['hukou_region'], lang)} {t.get(w['hukou_type'], w['hukou_type'])}"
                        if w["hukou_region"] else f"  {w['nationality']} {w['passport']}"))
        for e in result.get("enrolments", []):
            lines.append(f"  {schemes()[e['scheme']].name(lang)}: {e['months_paid']} {t['months']}")
        enrolled = result.get("enrolment")
        if isinstance(enrolled, dict):
            names = ("、" if lang == "zh" else ", ").join(schemes()[sid].name(lang) for sid in enrolled["schemes"])
            lines.append(f"  {enrolled['employer_name']}{t['(']}{enrolled['employer']}{t[')']}"
                         f"  {enrolled['start']}  {names}")
    elif set(result) == {"workers"}:
        for w in result["workers"]:
            lines.append(f"{w['id_number'] or w['ssn']}  {w['name']}  {w['birth_date']}")
        if not result["workers"]:
            lines.append(_word("none", lang))
    elif "lines" in result and "base" in result and {"floor", "ceiling", "kind", "status"} <= set(result):
        kind, status = result["kind"], result["status"]
        lines.append(f"{result['month']}  {t['base']} {result['base']}  {t['(']}{t['floor']} {result['floor']}"
                     f"{t[', ']}{t['ceiling']} {result['ceiling']}{t[')']}  {t.get('kind.' + kind, kind)} "
                     f"{t.get('status.' + status, status)}"
                     + ("" if result.get("recorded", True) else f"  {t['preview']}"))
        for ln in result["lines"]:
            lines.append(f"  {schemes()[ln['scheme']].name(lang)}: {ln['employer']} + {ln['employee']}"
                         f"  {t['(']}{t['account']} {ln['individual_account']}{t[', ']}{t['pooling']} "
                         f"{ln['pooling']}{t[')']}")
    elif "schemes" in result and isinstance(result.get("worker"), dict):
        w = result["worker"]
        lines.append(f"{w['name']}  {w['id_number'] or w['ssn']}")
        for sid, e in result["schemes"].items():
            lines.append(f"  {schemes()[sid].name(lang)}: {e['months_paid']} {t['months']}")
            for p in e["regions"]:
                lines.append(f"    {_region(p['region'], lang)}: {p['months_paid']} {t['months']}"
                             f"  {p['first_month']} {t['range']} {p['last_month']}")
            for y in e.get("years", []):
                lines.append(f"    {y['year']}: {y['opening']} + {y['interest'] or '-'} + {y['credited']}"
                             f" = {y['closing']}")
            if "individual_account_balance" in e:
                lines.append(f"    = {e['individual_account_balance']}")
    else:
        lines += readable(result, lang, missing)
    return "\n".join(lines)


def protect_logs() -> None:
    """Warnings go to stderr with ID numbers and phones masked."""
    import logging

    from desktop.core.privacy import protect_logging

    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)
    protect_logging(root)


def _emit(text: str) -> None:
    """Print a line of the result on stdout; a reader that has gone away (a closed pipe) is no error:
    stdout then points at the null device, so nothing more (nor Python's own flush at exit) fails."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # no file descriptor (stdout replaced): nothing to point away
            pass


def report(g: Globals, command: Callable[[], dict[str, Any]]) -> int:
    """Run a command and print its result or its error; returns the exit code."""
    try:
        result = command()
    except ShebaoError as err:
        print(err.message(g.lang), file=sys.stderr)
        for row in getattr(err, "rows", [])[:200]:
            label = field_label(row.field, g.lang) if row.field else ""
            print(f"  {row.line}: {label}{'：' if label and g.lang == 'zh' else ': ' if label else ''}"
                  f"{row.message(g.lang)}", file=sys.stderr)
        if g.json:
            _emit(json.dumps({"error": err.to_json(g.lang)}, ensure_ascii=False))
        return err.exit_code
    except Verdict as bad:
        print(bad.result["reason"], file=sys.stderr)
        if g.json:
            _emit(json.dumps(bad.result, ensure_ascii=False))
        return 4
    except KeyboardInterrupt:
        return 1
    except Exception as exc:  # reported without personal data (SHEBAO_DEBUG=1 re-raises)
        if os.environ.get("SHEBAO_DEBUG"):
            raise
        from desktop.core.privacy import error_report

        print(error_report(exc), file=sys.stderr)
        return 1
    _emit(json.dumps(result, ensure_ascii=False) if g.json else human(result, g.lang))
    return 0
