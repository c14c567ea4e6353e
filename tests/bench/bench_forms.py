"""Statements per second for a batch of people: the form engine against reportlab drawing the same
page by hand (no engine) in the same run, and resident memory over the batch.

    PYTHONPATH=. .venv/bin/python -m tests.bench.bench_forms [--people 1000] [--out FILE.json]

Three timings per statement: `render` (the engine: form spec + data -> PDF bytes), `raw` (the same
page drawn with direct reportlab canvas calls, hard-coded positions, same font and text, the QR
encoded with the same library (segno) and drawn module by module), and
`issue` (the whole service: statement query, numbering, signing, register row, render).
Ratios are what to quote: the machine is shared and absolute times drift.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import resource
import tempfile
import time
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop.core.demo import ACCOUNTS, build_demo
from desktop.core.forms.fonts import cjk_font
from desktop.core.forms.render import DocumentData, render
from desktop.core.ledger import Ledger
from desktop.core.services.documents import forms
from tests.bench.office_keys import throwaway_keys


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_statement(data: DocumentData, code: str) -> bytes:
    """The statement page drawn with plain reportlab calls (positions as in the form file)."""
    font = cjk_font().name
    v = data.values
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=font)
    top = lambda y: (297 - y) * mm  # noqa: E731
    c.setFont(font, 18)
    c.drawCentredString(105 * mm, top(24), "参保缴费证明")
    c.setFont(font, 9)
    c.drawRightString(195 * mm, top(33), "编号：" + v["doc.number"])
    c.setFont(font, 10)
    for x, y, label, value in ((15, 44, "姓名：", v["person.name"]), (82, 44, "性别：", v["person.sex"]),
                               (120, 44, "出生日期：", v["person.birth_date"]),
                               (15, 52, "身份证号码：", v["person.id_number"]),
                               (120, 52, "社会保障号码：", v["person.ssn"]), (15, 60, "户籍：", v["person.hukou"])):
        c.drawString(x * mm, top(y), label + value)
        c.line(x * mm, top(y + 1.2), (x + 60) * mm, top(y + 1.2))
    c.drawString(15 * mm, top(70), "经查询，该参保人在本经办机构参加社会保险的情况如下：")
    y = 74.0
    for rows, cols in ((data.lists["periods"], ("scheme_name", "region_name", "first_month", "last_month", "months",
                                                "arrears")),
                       (data.lists["years"], ("year", "months", "base_total", "opening", "rate", "interest", "credited",
                                              "closing"))):
        width = 180 / len(cols)
        c.rect(15 * mm, top(y + 6.5), 180 * mm, 6.5 * mm)
        for i, col in enumerate(cols):
            c.drawString((16 + i * width) * mm, top(y + 4.5), col)
        y += 6.5
        for row in rows:
            for i, col in enumerate(cols):
                c.drawString((16 + i * width) * mm, top(y + 4.5), row[col])
            y += 6.5
            c.line(15 * mm, top(y), 195 * mm, top(y))
        y += 12
    c.drawString(15 * mm, top(y + 7), "个人账户累计储存额：" + v["account.balance"] + " 元。")
    c.drawString(15 * mm, top(y + 15), "特此证明。")
    c.circle(160 * mm, top(y + 32), 20 * mm)
    c.drawString(15 * mm, top(y + 28), "经办人：" + v["doc.clerk"])
    c.drawString(15 * mm, top(y + 36), "出具日期：" + v["doc.date"])
    matrix = segno.make(code, error="m", micro=False).matrix  # the same encoder the engine uses
    cell = 24 * mm / len(matrix)
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                c.rect(15 * mm + col * cell, top(285) + (len(matrix) - 1 - r) * cell, cell, cell, stroke=0, fill=1)
    c.setFont(font, 6.5)
    for n in range(0, len(code), 110):
        c.drawString(42 * mm, top(265 + n // 110 * 2.7), code[n:n + 110])
    c.setFont(font, 8)
    c.drawCentredString(105 * mm, top(290), "第 1 页 / 共 1 页")
    c.showPage()
    c.save()
    return buf.getvalue()


def main() -> int:
    """Build a demo office, then time the batch three ways."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shebao-bench-forms-") as tmp:
        throwaway_keys(Path(tmp))
        return batch(Path(tmp), args.people, args.out)


def batch(tmp: Path, people: int, out: str | None) -> int:
    """Time the batch of statements of a demo office of `people` built in tmp."""
    ledger = Ledger.open(tmp / "forms.db", clock=lambda: dt.date(2026, 11, 23))
    build_demo(ledger, people=people, months=60)
    ledger.sign_in(*next(a[0::2] for a in ACCOUNTS if a[1] == "clerk"))  # the counter prints
    with ledger.read() as s:
        keys = [r[0] for r in s.execute(__import__("sqlalchemy").text("SELECT id_number FROM worker ORDER BY id"))]
    spec = forms()["statement"]
    issued = [ledger.documents.issue("statement", k) for k in keys[:5]]  # warm-up
    memory = [rss_mb()]
    t0 = time.perf_counter()
    datas: list[tuple[DocumentData, str]] = []
    for i, key in enumerate(keys):
        doc = ledger.documents.issue("statement", key)
        with ledger.read() as s:
            stored = s.execute(__import__("sqlalchemy").text("SELECT data_json FROM document WHERE number = :n"),
                               {"n": doc.number}).scalar()
        payload = json.loads(stored)
        datas.append((DocumentData(payload["values"], payload["lists"]), doc.code))
        if (i + 1) % max(1, len(keys) // 4) == 0:
            memory.append(rss_mb())
    issue_s = time.perf_counter() - t0
    engine_s = raw_s = 0.0
    for rounds in range(3):
        t = time.perf_counter()
        for data, code in datas:
            render(spec, data, code)
        e = time.perf_counter() - t
        t = time.perf_counter()
        for data, code in datas:
            raw_statement(data, code)
        r = time.perf_counter() - t
        engine_s = e if rounds == 0 else min(engine_s, e)
        raw_s = r if rounds == 0 else min(raw_s, r)
    result = {
        "people": len(keys), "issued": len(issued) + len(keys),
        "engine_per_s": len(keys) / engine_s, "raw_per_s": len(keys) / raw_s,
        "ratio_engine_to_raw": engine_s / raw_s,
        "issue_per_s": len(keys) / issue_s, "ratio_issue_to_raw": issue_s / raw_s,
        "rss_mb_over_batch": [round(m, 1) for m in memory],
    }
    print(f"statements: {len(keys)}")
    print(f"  engine render   {result['engine_per_s']:7.1f} /s"
          f"   ratio to raw reportlab {result['ratio_engine_to_raw']:.2f}x")
    print(f"  raw reportlab   {result['raw_per_s']:7.1f} /s")
    print(f"  full issue      {result['issue_per_s']:7.1f} /s"
          f"   ratio to raw reportlab {result['ratio_issue_to_raw']:.2f}x")
    print(f"  RSS over batch  {result['rss_mb_over_batch']} MB")
    if out:
        Path(out).write_text(json.dumps(result, indent=2))
    ledger.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
