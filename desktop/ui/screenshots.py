"""Render the main screens offscreen as PNGs for the README, on a fresh demo office database.

    python -m desktop.ui.screenshots --out resources/screenshots

Nothing of the user's is read or changed: the database and the settings live in a temporary
folder. The clock is fixed so the pictures only change when the program does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.ledger import Ledger

TODAY = dt.date(2026, 11, 23)
SIZE = (1280, 800)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run the event loop until condition() holds."""
    app = QApplication.instance()
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        assert app is not None
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def settle(seconds: float = 0.3) -> None:
    """Let pending events, timers and background answers arrive."""
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end)


def type_text(widget: QWidget, text: str) -> None:
    """Type text as an input method commits it (works for Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def save(widget: QWidget, out: Path, name: str) -> Path:
    """Grab a widget (window or dialog) to out/name."""
    settle(0.25)
    path = out / name
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)
    return path


def _newest_employer(ledger: Ledger, key: str) -> str:
    """The credit code of the employer of a person's newest month."""
    worker_id, keys = ledger.history.month_keys(key)
    return ledger.history.rows(worker_id, keys[:1])[keys[0]].employer_uscc


def bad_declaration(ledger: Ledger, folder: Path) -> Path:
    """A declaration of two good rows and three bad ones (as employers really send them)."""
    people = ledger.workers.find("3", 3)
    uscc = ledger.employers.list()[0].uscc
    rows = ["统一社会信用代码,身份证号码,姓名,所属期,缴费工资",
            f"{uscc},{people[0].key},{people[0].name},2026-11,6200",
            f"{uscc},{people[1].key},王错名,2026-11,7000",
            f"{uscc},{people[2].key},{people[2].name},2026-13,5000",
            f"{uscc},360102199001011235,李四,2026-11,5000",
            f"{uscc},{people[2].key},{people[2].name},2026-11,5000.123"]
    path = folder / "赣江机械-2026-11申报.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def render(out: Path, people: int, months: int, lang: str) -> list[Path]:
    """Build the demo office and save a PNG of each main screen."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shebao-shots-") as folder:
        return _render(out, Path(folder), people, months, lang)


def _render(out: Path, tmp: Path, people: int, months: int, lang: str) -> list[Path]:
    """Render every screen with the database and settings in tmp."""
    from desktop.core.demo import ACCOUNTS, build_demo
    from desktop.ui import i18n
    from desktop.ui.app import make_app
    from desktop.ui.import_dialog import ImportDialog
    from desktop.ui.record_month_dialog import RecordMonthDialog
    from desktop.ui.register_dialog import RegisterDialog
    from desktop.ui.settings_dialog import SettingsDialog
    from desktop.ui.window import MainWindow

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    ledger = Ledger.open(tmp / "demo.db", clock=lambda: TODAY)
    build_demo(ledger, people=people, months=months)
    clerk = next(account for account in ACCOUNTS if account[1] == "clerk")
    ledger.sign_in(clerk[0], clerk[2])  # the demo office has accounts: the pictures show the clerk's window
    app = make_app()
    app.setCursorFlashTime(0)  # a steady text cursor: the same picture every run
    i18n.apply(lang)
    window = MainWindow(ledger)
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: window.office is not None)
    person = max(ledger.workers.find("3", 60),
                 key=lambda w: len(ledger.history.month_keys(w.key)[1]))
    employer = _newest_employer(ledger, person.key)
    ledger.contributions.record(person.key, employer, "2026-11", "6500", arrears=True)
    shots: list[Path] = []
    type_text(window.search.box, person.name[:2])
    wait_until(lambda: window.search.shown_text == person.name[:2])
    row = next(i for i, w in enumerate(window.search.model.people) if w.key == person.key)
    window.search.view.selectRow(row)
    window.search.open_current()
    wait_until(lambda: window.page.worker is not None and window.page.worker.key == person.key)
    window.page.tabs.setCurrentIndex(1)
    wait_until(lambda: window.page.history_model.loaded_rows() > 0)
    shots.append(save(window, out, "main-person.png"))
    window.page.tabs.setCurrentIndex(2)
    shots.append(save(window, out, "main-account.png"))
    window.page.tabs.setCurrentIndex(1)

    register = window.open_register()
    assert isinstance(register, RegisterDialog)
    type_text(register.id_number, "510107198511113215")
    type_text(register.person_name, "张三")
    type_text(register.phone, "1380")
    register.validate("phone")
    shots.append(save(register, out, "register-dialog.png"))
    register.reject()

    record = window.record_month()
    assert isinstance(record, RecordMonthDialog)
    wait_until(lambda: record.employer.count() > 0)
    type_text(record.wage, "7000")
    wait_until(lambda: record.preview_result is not None)
    shots.append(save(record, out, "record-month-dialog.png"))
    record.reject()

    imported = window.import_declaration(bad_declaration(ledger, tmp))
    assert isinstance(imported, ImportDialog)
    wait_until(lambda: not imported.running)
    shots.append(save(imported, out, "import-result.png"))
    imported.reject()

    settings = window.open_settings()
    assert isinstance(settings, SettingsDialog)
    wait_until(lambda: settings.models["wages"].rowCount() > 0)
    settings.reference_tabs.setCurrentIndex(list(settings.models).index("rates"))
    shots.append(save(settings, out, "settings.png"))
    settings.reject()

    i18n.apply("en" if lang == "zh" else "zh")
    settle(0.3)
    shots.append(save(window, out, f"main-person-{'en' if lang == 'zh' else 'zh'}.png"))
    i18n.apply(lang)
    window.close()
    ledger.close()
    app.processEvents()
    return shots


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and render."""
    parser = argparse.ArgumentParser(prog="python -m desktop.ui.screenshots", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("resources/screenshots"))
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    render(args.out, args.people, args.months, args.lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
