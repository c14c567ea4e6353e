"""The counter window over a real office database, driven with qtbot: find, open, read, language."""

from __future__ import annotations

from typing import Any

from conftest import EMPLOYER
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from test_ui_support import (
    commit_text,
    open_by_search,
    patient_waits,
    press_shortcut,
    private_settings,
    type_keys,
    window,
)

from desktop.core.ledger import Ledger
from desktop.ui.history_model import ARREARS_BG, BACK_PAYMENT_BG
from desktop.ui.window import MainWindow

__all__ = ["patient_waits", "private_settings", "window"]


def test_search_has_focus_and_finds_by_pinyin_initials(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search.box)
    qtbot.keyClicks(window.search.box, "zs")
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 1)
    assert window.search.model.people[0].name == "张三"
    assert window.search.count.text() == "找到 1 人"
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.person_name.text() == "张三")
    assert window.page.identity_values[0].text() == "510107198511113215"
    assert window.page.identity_values[3].text() == "四川省成都市武侯区（510107）"
    assert QApplication.focusWidget() is window.search.box
    assert window.search.box.selectedText() == "zs"


def test_chinese_name_through_the_input_method(window: MainWindow, person: str, qtbot: Any) -> None:
    commit_text(window.search.box, "张")
    assert window.search.box.text() == "张"
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 1)
    assert window.search.model.people[0].key == "510107198511113215"


def test_id_card_reader_keystrokes_then_enter_open_the_person(
        window: MainWindow, person: str, qtbot: Any) -> None:
    type_keys(window.search.box, "510107198511113215\r")
    qtbot.waitUntil(lambda: window.page.worker is not None)
    assert window.page.person_name.text() == "张三"
    assert "已打开 张三" in window.status.text()


def test_the_first_digits_list_people_in_number_order(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    ledger.workers.register_citizen("51010719600101121X", "王五", "510107", "urban")
    ledger.workers.register_citizen("360102198001011235", "赵六", "360102", "urban")
    qtbot.keyClicks(window.search.box, "5")
    qtbot.waitUntil(lambda: window.search.shown_text == "5")
    assert [w.key for w in window.search.model.people] == ["51010719600101121X", person]
    qtbot.keyClicks(window.search.box, "101071985")
    qtbot.waitUntil(lambda: window.search.shown_text == "5101071985")
    assert [w.name for w in window.search.model.people] == ["张三"]


def test_unknown_number_says_so_and_keeps_the_search(
        window: MainWindow, person: str, qtbot: Any) -> None:
    qtbot.keyClicks(window.search.box, "11010519491231002X")
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "未找到参保人" in window.status.text())
    assert window.page.worker is None
    assert QApplication.focusWidget() is window.search.box


def test_person_page_history_is_lazy_and_marks_arrears_and_back_payments(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    for month in ("2024-01", "2024-02", "2026-10"):
        ledger.contributions.record(person, EMPLOYER, month, "7000")
    ledger.contributions.record(person, EMPLOYER, "2026-11", "7000", arrears=True)
    open_by_search(window, qtbot, "zs", "张三")
    model = window.page.history_model
    assert model.rowCount() == 4
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    assert model.rowCount(QModelIndex()) == 4
    window.page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: model.loaded_rows() == 4)
    status = model.columnCount() - 1
    texts = [model.index(r, 0).data() for r in range(4)]
    assert texts == ["2026-11", "2026-10", "2024-02", "2024-01"]
    assert model.index(0, status).data() == "欠缴"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == ARREARS_BG
    assert model.index(1, status).data() == "正常"
    assert model.index(2, status).data() == "补缴"
    assert model.index(2, 3).data(Qt.ItemDataRole.BackgroundRole).color() == BACK_PAYMENT_BG
    pension = model.schemes.index("pension") + model.FIXED
    assert model.index(1, pension).data() == "1,680.00"  # 16% + 8% of 7,000
    assert "maternity" not in model.schemes
    assert window.page.enrolments.item(0, 3).text() == "3"
    assert window.page.enrolments.item(0, 5).text() == "1"
    assert "个人账户余额" in window.page.balance.text()
    assert window.page.account.rowCount() == 3


def test_unopened_actions_are_disabled_with_a_reason(
        window: MainWindow, person: str, qtbot: Any) -> None:
    open_by_search(window, qtbot, "zs", "张三")
    page = window.page
    assert page.record_button.isEnabled()
    for button in page.not_yet:
        assert not button.isEnabled()
        assert button.toolTip() == "尚未开放"
    assert page.tabs.tabText(3) == "已出具文书"
    press_shortcut(qtbot, window.search.box, Qt.Key.Key_4)
    assert page.tabs.currentIndex() == 3
    assert page.documents.isVisible() and not page.document_table.isVisible()
    assert page.documents.text() == "尚未为此人出具任何文书。"


def test_documents_issued_are_listed(
        window: MainWindow, ledger: Ledger, person: str, qtbot: Any) -> None:
    issued = ledger.documents.issue("statement", person)
    open_by_search(window, qtbot, "zs", "张三")
    page = window.page
    page.tabs.setCurrentIndex(3)
    assert page.document_table.isVisible() and not page.documents.isVisible()
    row = [page.document_table.item(0, c).text() for c in range(5)]
    assert row == [issued.number, "参保缴费证明", "2026-11-23", "1", "有效"]


def test_switching_language_retranslates_the_visible_labels(
        window: MainWindow, person: str, qtbot: Any) -> None:
    open_by_search(window, qtbot, "zs", "张三")
    assert window.file_menu.title() == "文件(&F)"
    window.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File")
    assert window.search.box.placeholderText() == "ID number, name or pinyin initials; Enter opens"
    assert window.page.tabs.tabText(1) == "Contributions"
    assert window.page.record_button.text() == "Record a &month"
    assert window.page.history_model.headerData(0, Qt.Orientation.Horizontal) == "Month"
    assert window.page.identity_labels[1].text() == "Sex"
    assert window.page.identity_values[1].text() == "Male"
    assert window.status.text() == "Opened 张三"
    window.language_actions["zh"].trigger()
    qtbot.waitUntil(lambda: window.file_menu.title() == "文件(&F)")
    assert window.page.tabs.tabText(1) == "缴费记录"


def test_geometry_and_tab_are_remembered(ledger: Ledger, person: str, qtbot: Any) -> None:
    first = MainWindow(ledger)
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 480)
    first.page.tabs.setCurrentIndex(2)
    first.close()
    second = MainWindow(ledger)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (640, 480)
    assert second.page.tabs.currentIndex() == 2
    second.runner.wait()
