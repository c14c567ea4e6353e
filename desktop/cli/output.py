"""The command line's global options, its output (one JSON object, or text for people at a
terminal), its error reports and its exit codes.

Exit codes: 0 done, 2 invalid input, 3 refused by a rule, 4 conflict or integrity, 5 not allowed,
1 anything else.
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
from desktop.core.errors import ShebaoError
from desktop.core.messages import field_label
from desktop.core.refdata import schemes
from desktop.core.regions import name_of

_T = {
    "zh": {"sex.M": "男", "sex.F": "女", "urban": "城镇", "rural": "农村", "done": "完成"},
    "en": {"sex.M": "male", "sex.F": "female", "urban": "urban", "rural": "rural", "done": "done"},
}


@dataclass
class Globals:
    """The options every command accepts."""

    db: str | None
    json: bool
    lang: str


def split_globals(argv: Sequence[str]) -> tuple[Globals, list[str]]:
    """Take --db, --json and --lang out of argv wherever they stand."""
    rest: list[str] = []
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
        elif a in ("--db", "--lang") and i + 1 < len(args):
            if a == "--db":
                db = args[i + 1]
            else:
                lang = args[i + 1]
            i += 1
        elif a.startswith("--db="):
            db = a[5:]
        elif a.startswith("--lang="):
            lang = a[7:]
        else:
            rest.append(a)
        i += 1
    if lang not in ("zh", "en"):
        lang = "zh"
    return Globals(db, as_json, lang), rest


def human(result: dict[str, Any], lang: str) -> str:
    """A readable rendering of a JSON result for people at a terminal."""
    t = _T[lang]
    lines: list[str] = []
    if "checks" in result and "status" in result:
        lines += doctor_lines(result, lang)
    elif "ratio" in result and "months" in result:
        lines += flexible_lines(result)
    elif isinstance(result.get("worker"), dict) and "schemes" not in result:
        w = result["worker"]
        lines.append(f"{w['name']}  {w['id_number'] or w['ssn']}  {t['sex.' + w['sex']]}  {w['birth_date']}"
                     + (f"  {name_of(w['hukou_region'])} {t[w['hukou_type']]}" if w["hukou_region"] else
                        f"  {w['nationality']} {w['passport']}"))
        for e in result.get("enrolments", []):
            lines.append(f"  {schemes()[e['scheme']].name(lang)}: {e['months_paid']}")
    elif "workers" in result:
        for w in result["workers"]:
            lines.append(f"{w['id_number'] or w['ssn']}  {w['name']}  {w['birth_date']}")
    elif "lines" in result and "base" in result:
        lines.append(f"{result['month']}  base {result['base']}  ({result['floor']} .. {result['ceiling']})"
                     f"  {result['kind']} {result['status']}")
        for ln in result["lines"]:
            lines.append(f"  {schemes()[ln['scheme']].name(lang)}: {ln['employer']} + {ln['employee']}"
                         f"  (account {ln['individual_account']}, pooling {ln['pooling']})")
    elif "schemes" in result and isinstance(result.get("worker"), dict):
        w = result["worker"]
        lines.append(f"{w['name']}  {w['id_number'] or w['ssn']}")
        for sid, e in result["schemes"].items():
            lines.append(f"  {schemes()[sid].name(lang)}: {e['months_paid']}")
            for p in e["regions"]:
                lines.append(f"    {p['region']} {name_of(p['region'])}: {p['months_paid']}"
                             f"  {p['first_month']} .. {p['last_month']}")
            for y in e.get("years", []):
                lines.append(f"    {y['year']}: {y['opening']} + {y['interest'] or '-'} + {y['credited']}"
                             f" = {y['closing']}")
            if "individual_account_balance" in e:
                lines.append(f"    = {e['individual_account_balance']}")
    else:
        lines.append(json.dumps(result, ensure_ascii=False))
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
            print(json.dumps({"error": err.to_json(g.lang)}, ensure_ascii=False))
        return err.exit_code
    except Verdict as bad:
        print(bad.result["reason"], file=sys.stderr)
        if g.json:
            print(json.dumps(bad.result, ensure_ascii=False))
        return 4
    except KeyboardInterrupt:
        return 1
    except Exception as exc:  # reported without personal data (SHEBAO_DEBUG=1 re-raises)
        if os.environ.get("SHEBAO_DEBUG"):
            raise
        from desktop.core.privacy import error_report

        print(error_report(exc), file=sys.stderr)
        return 1
    if g.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(human(result, g.lang))
    return 0
