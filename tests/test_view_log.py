"""Who viewed a person's record: opening the page, `worker show`, `account`, `history show` and a
printed statement each leave one row (account, time, person, how), searchable by supervisors and
administrators through `shebao audit views` and the audit window's second tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select
from test_cli import run
from test_security_support import PASSWORD, PERSON, as_, fast_hashing, staffed, staffed_template
from test_ui_support import open_by_search, private_settings

from desktop.core.errors import InvalidInput, NotAllowed
from desktop.core.ledger import Ledger
from desktop.core.store.models import PersonView
from desktop.ui.audit_dialog import AuditDialog
from desktop.ui.window import MainWindow

__all__ = ["fast_hashing", "private_settings", "staffed", "staffed_template"]
MASKED = "510107********3215"


def _rows(ledger: Ledger) -> int:
    with ledger.read(checked=False) as s:
        return int(s.scalar(select(func.count()).select_from(PersonView)) or 0)


def test_a_view_is_one_row_outside_the_audit_chain(staffed: Ledger) -> None:
    as_(staffed, "clerk1")
    head = staffed.change_mark()
    # (days after the template's own print, which is stamped at TODAY and the time of day it ran)
    staffed.clock = dt.datetime(2026, 11, 24, 10, 5)
    staffed.views.record(PERSON, "view", "person page")
    assert staffed.change_mark() == head  # no window reloads because someone looked
    staffed.clock = dt.datetime(2026, 11, 25, 9, 0)
    as_(staffed, "clerk2").views.record(PERSON, "print", "statement")
    with pytest.raises(InvalidInput) as err:
        staffed.views.record(PERSON, "copy")
    assert err.value.key == "view.what"
    with pytest.raises(NotAllowed) as refused:
        staffed.views.search()
    assert refused.value.key == "role.refused"
    found = as_(staffed, "sup1").views.search()
    assert [(v.at, v.actor, v.role, v.person, v.name, v.what, v.detail) for v in found[:2]] == [
        (dt.datetime(2026, 11, 25, 9, 0), "clerk2", "clerk", MASKED, "张三", "print", "statement"),
        (dt.datetime(2026, 11, 24, 10, 5), "clerk1", "clerk", MASKED, "张三", "view", "person page")]
    # the statement the template issued before the office had accounts: every issue is a print
    assert [(v.actor, v.what, v.detail) for v in found[2:]] == [("-", "print", "statement")]
    assert found[0].counter == staffed.counter
    assert [v.actor for v in staffed.views.search(clerk="clerk1")] == ["clerk1"]
    assert [v.actor for v in staffed.views.search(start="2026-11-25")] == ["clerk2"]
    assert [v.actor for v in staffed.views.search(end="2026-11-24")] == ["clerk1", "-"]
    assert [v.actor for v in staffed.views.search(end="2026-11-23")] == ["-"]
    assert staffed.views.search(PERSON, reveal=True)[0].person == PERSON
    with pytest.raises(InvalidInput) as err:
        staffed.views.search("110101199001011234")
    assert (err.value.key, err.value.params["value"]) == ("worker.unknown", "110101199001011234")


def test_the_command_line_logs_reads_and_searches_them(staffed: Ledger, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(staffed.engine.url.database)
    staffed.close()
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    monkeypatch.setenv("SHEBAO_USER", "clerk1")
    for args in (("worker", "show", PERSON), ("account", PERSON), ("history", "show", "--worker", PERSON),
                 ("print", "statement", PERSON, "--out", str(tmp_path / "s.pdf")),
                 ("worker", "find", "张")):  # a list opens nobody
        assert run(capsys, "--db", db, "--json", *args)[0] == 0, args
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "views")
    assert code == 5 and data["error"]["key"] == "role.refused"
    monkeypatch.setenv("SHEBAO_USER", "sup1")
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "views", "--person", PERSON, "--clerk", "clerk1",
                        "--from", "2026-11-23", "--to", "2026-11-23")
    assert code == 0
    assert [(v["actor"], v["what"], v["detail"], v["person"], v["name"]) for v in data["views"]] == [
        ("clerk1", "print", "statement", MASKED, "张三"), ("clerk1", "view", "history show", MASKED, "张三"),
        ("clerk1", "view", "worker account", MASKED, "张三"), ("clerk1", "view", "worker show", MASKED, "张三")]
    code, data, _ = run(capsys, "--db", db, "--json", "audit", "views", "--clerk", "clerk2")
    assert code == 0 and data["views"] == []
    code, text, _ = run(capsys, "--db", db, "--lang", "en", "audit", "views", "--limit", "1")
    assert code == 0 and "how: print" in text and "detail: statement" in text


def test_opening_a_person_in_the_window_is_logged_and_shown(staffed: Ledger, qtbot: Any) -> None:
    as_(staffed, "clerk1")
    win = MainWindow(staffed)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.office is not None)
    before = _rows(staffed)
    open_by_search(win, qtbot, PERSON, "张三")
    qtbot.waitUntil(lambda: _rows(staffed) == before + 1 and not win.runner.busy)
    win.open_person(PERSON, viewed=False)  # the page read again after a change: no second row
    qtbot.waitUntil(lambda: not win.runner.busy)
    assert _rows(staffed) == before + 1
    win.close()
    win.runner.wait()
    as_(staffed, "sup1")
    dialog = AuditDialog(staffed, win.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.views_model.rowCount() == 2 and not win.runner.busy, timeout=30000)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.tabs.tabText(1) == "查阅记录(&2)"
    cells = [dialog.views_model.index(0, c).data() for c in range(7)]
    assert cells[1:] == ["clerk1", staffed.counter, MASKED, "张三", "查看", "person page"]
    dialog.clerk.setText("clerk2")
    qtbot.keyClick(dialog.clerk, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.views_model.rowCount() == 0 and not win.runner.busy, timeout=30000)
    dialog.grab().save(str(Path("/tmp") / "audit_views.png"))
