"""`shebao doctor`: is this installation fit to work (data, fonts, printers, database, keys, disk,
backups, clock), each problem with its fix. Exit 0 when nothing is a problem (warnings allowed),
4 otherwise."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop.cli.common import Verdict
from desktop.cli.texts import zh_en
from desktop.core.clock import Clock, as_clock
from desktop.core.doctor import PROBLEM, examine, report_lines, worst
from desktop.core.messages import render

PRINTER_TIMEOUT = 30  # seconds for the window program to list the printers


def add_parsers(sub: Any) -> None:
    """`doctor`."""
    c = sub.add_parser("doctor", help=zh_en("检查本机安装：数据文件、表单、打印字体、打印机、数据库、密钥、磁盘空间、"
                                            "备份和时钟，每个问题给出处理办法；有问题时退出码为 4",
                                            "check this installation: data files, forms, print font, printers, "
                                            "database, keys, disk space, backups and clock, each problem with its "
                                            "fix; exit code 4 when there is a problem"))
    c.add_argument("--no-printers", action="store_true",
                   help=zh_en("不查询打印机（更快）", "do not ask the window program for the printers (faster)"))
    c.set_defaults(standalone=_doctor)


def window_command() -> list[str]:
    """How to start the window program: the frozen build's own executable beside this one, else
    this interpreter with `-m desktop`."""
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        return [str(exe.with_name("shebao-desk" + exe.suffix))]
    return [sys.executable, "-m", "desktop"]


def qt_printers() -> list[str] | None:
    """The printers Qt sees, asked of the window program in a process of its own (this process
    never loads Qt); None when it cannot be asked."""
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        done = subprocess.run([*window_command(), "--printers"], capture_output=True, text=True,
                              timeout=PRINTER_TIMEOUT, env=env, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        names = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return [str(n) for n in names] if isinstance(names, list) else None


def _doctor(db: str | None, a: argparse.Namespace, clock: Clock | None) -> dict[str, Any]:
    lang = getattr(a, "output_lang", "zh")
    findings = examine(db, as_clock(clock).now(), False if a.no_printers else qt_printers)
    checks = [f.to_json(lang) for f in findings]
    result: dict[str, Any] = {"status": worst(findings), "checks": checks}
    if result["status"] == PROBLEM:
        count = sum(f.level == PROBLEM for f in findings)
        text = "\n".join([render("doctor.problems", lang, count=count), *report_lines(checks, lang)])
        raise Verdict({**result, "reason": text})
    return result



def human_lines(result: dict[str, Any], lang: str) -> list[str]:
    """A doctor result (exit 0) as text."""
    return report_lines(result["checks"], lang)
