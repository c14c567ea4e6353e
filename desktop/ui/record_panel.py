"""A person's pension record by place, as the person page and the transfer plan show it: each period
(months paid here, received with a transfer, deemed years, months paid before 1998) with where it came
from, the months and years each place counts for the pension place, and the lump sums held back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.core import pension_record as pr
from desktop.core import transfer_rules as tr
from desktop.core.regions import name_of
from desktop.ui import i18n
from desktop.ui.history_model import money
from desktop.ui.layout import ERROR_STYLE, Retranslating, heading, vbox

if TYPE_CHECKING:
    from desktop.core.services.record import HeldBack

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
KIND_ORDER = ("paid", "deemed", "pre1998")


@dataclass(frozen=True)
class PlaceRow:
    """One place (a province) of the record: months by kind, all months, and the years that count."""

    place: str
    by_kind: Mapping[str, int]
    months: int | None
    years: Decimal | None


def place_rows(places: Iterable[pr.PlaceMonths], years: Mapping[str, Decimal]) -> list[PlaceRow]:
    """The places of a record view, with the years the pension-place decision counted."""
    rows = [PlaceRow(p.place, dict(p.by_kind), p.months, years.get(p.place)) for p in places]
    known = {r.place for r in rows}
    rows += [PlaceRow(k, {}, None, v) for k, v in years.items() if k not in known]
    return rows


def plan_place_rows(periods: Sequence[pr.Period], place_years: Iterable[tuple[str, Decimal]]) -> list[PlaceRow]:
    """The places of a transfer plan: months by kind from the periods that move, years as the plan
    counted them for the pension place (months known here outside the record count too)."""
    counted = {p.place: p for p in pr.months_by_place(periods)}
    rows: list[PlaceRow] = []
    for place, years in place_years:
        found = counted.pop(place, None)
        if found is not None:
            rows.append(PlaceRow(place, dict(found.by_kind), found.months, years))
        else:  # known here, not part of the record that moves
            whole = int((years * tr.MONTHS_IN_YEAR).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            rows.append(PlaceRow(place, {}, whole, years))
    rows += [PlaceRow(p.place, dict(p.by_kind), p.months, None) for p in counted.values()]
    return rows


def small_table(columns: int, stretch: bool = True) -> QTableWidget:
    """A read-only table sized to its contents; stretch: the last column takes the width left (its
    text is cut short, whole in the tooltip, rather than widening the table)."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(56)
    if stretch:
        header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
    table.setAlternatingRowColors(True)
    return table


def fill_row(table: QTableWidget, row: int, values: Sequence[str], right: Iterable[int] = (),
             tips: Mapping[int, str] | None = None) -> None:
    """Fill one row; right: the columns aligned right (numbers)."""
    aligned = set(right)
    for col, text in enumerate(values):
        item = QTableWidgetItem(text)
        if col in aligned:
            item.setTextAlignment(RIGHT)
        if tips and col in tips:
            item.setToolTip(tips[col])
        table.setItem(row, col, item)


def fit_rows(table: QTableWidget, least: int = 1, most: int = 8) -> None:
    """Make a table as tall as its rows (between least and most rows; more scroll); one whose last
    column does not stretch is also no wider than its columns."""
    rows = max(least, min(table.rowCount(), most))
    header = table.horizontalHeader()
    height = header.sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)
    if header.sectionResizeMode(table.columnCount() - 1) != QHeaderView.ResizeMode.Stretch:
        table.resizeColumnsToContents()
        table.setMaximumWidth(header.length() + 2 * table.frameWidth() + 2)


def region_text(code: str) -> str:
    """A region code with its name."""
    return f"{code} {name_of(code)}"


class RecordPanel(Retranslating, QWidget):
    """The record by place: its periods, the places with their months and years, the lump sums held back."""

    def __init__(self, parent: QWidget | None = None, most_rows: int = 8, margin: int = 0) -> None:
        super().__init__(parent)
        self.most_rows = most_rows
        self.periods: tuple[pr.Period, ...] = ()
        self.places: list[PlaceRow] = []
        self.held_back: tuple[HeldBack, ...] = ()
        self.empty_text = ""
        self.period_table = small_table(5)
        self.period_table.setObjectName("record_periods")
        self.place_title = heading(0.5)
        self.place_table = small_table(6, stretch=False)
        self.place_table.setObjectName("record_places")
        self.empty = QLabel()
        self.empty.setObjectName("record_empty")
        self.empty.setStyleSheet("color: #666;")
        self.empty.setWordWrap(True)
        self.held = QLabel()
        self.held.setObjectName("record_held_back")
        self.held.setWordWrap(True)
        self.held.setStyleSheet(ERROR_STYLE)
        self.held.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setLayout(vbox(self.period_table, self.empty, self.place_title, self.place_table, self.held, 1,
                            margin=margin, spacing=6))
        self.retranslate()

    def show_record(self, periods: Sequence[pr.Period], places: Sequence[PlaceRow],
                    held_back: Sequence[HeldBack] = (), empty_text: str = "") -> None:
        """Show a record (empty_text: what to say when it has no period)."""
        self.periods, self.places, self.held_back = tuple(periods), list(places), tuple(held_back)
        self.empty_text = empty_text
        self._fill()

    def source_text(self, period: pr.Period) -> str:
        """Where a period comes from: paid here, received with a transfer, or entered from the old file."""
        if period.received:
            return self.tr("转入（{source}）").format(source=period.source) if period.source else self.tr("转入")
        if period.kind == "paid" and not period.source:
            return self.tr("本地缴费")
        return self.tr("建账录入（{document}）").format(document=period.source)

    @staticmethod
    def kind_name(kind: str) -> str:
        """The name of a kind of period in the interface language."""
        names = pr.KIND_NAMES.get(kind, (kind, kind))
        return names[1] if i18n.lang() == "en" else names[0]

    def _fill(self) -> None:
        table = self.period_table
        table.setRowCount(len(self.periods))
        for row, p in enumerate(self.periods):
            source = self.source_text(p)
            fill_row(table, row, [self.kind_name(p.kind), region_text(p.region), f"{p.first} — {p.last}",
                                  str(p.months), source], right=(3,), tips={4: source, 1: region_text(p.region)})
        fit_rows(table, 1, self.most_rows)
        table.setVisible(bool(self.periods))
        self.empty.setVisible(not self.periods)
        self.empty.setText(self.empty_text or self.tr("没有养老保险参保缴费记录。"))
        places = self.place_table
        places.setRowCount(len(self.places))
        for row, x in enumerate(self.places):
            kinds = [str(x.by_kind.get(k, 0)) if x.by_kind else "—" for k in KIND_ORDER]
            fill_row(places, row, [region_text(x.place), *kinds,
                                   str(x.months) if x.months is not None else "—",
                                   self.tr("{years} 年").format(years=f"{x.years:.2f}") if x.years is not None
                                   else "—"], right=(1, 2, 3, 4, 5))
        fit_rows(places, 1, self.most_rows)
        places.setVisible(bool(self.places))
        self.place_title.setVisible(bool(self.places))
        self.held.setText("\n".join(self.held_text(h) for h in self.held_back))
        self.held.setVisible(bool(self.held_back))

    def held_text(self, h: HeldBack) -> str:
        """A lump-sum back payment held back, with the reason and the day the person is told by."""
        r = tr.rules()
        return self.tr(
            "一次性补缴{first}至{last}共{months}个月（{paid_on}缴纳，记入个人账户{account}元）暂不计入、不转移："
            "一次性补缴{years}年以上的，须有法院、审计、劳动保障监察或劳动人事争议仲裁文书"
            "（人社厅发〔2019〕94号）；须在{notify_by}前书面告知本人原因。").format(
                first=str(h.months[0]), last=str(h.months[-1]), months=len(h.months),
                paid_on=h.paid_on.isoformat(), account=money(Decimal(h.account_fen).scaleb(-2)),
                years=r.back_payment_document_years, notify_by=h.notify_by.isoformat())

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.period_table.setHorizontalHeaderLabels([
            self.tr("种类"), self.tr("地区"), self.tr("期间"), self.tr("月数"), self.tr("来源")])
        self.place_title.setText(self.tr("各参保地（省）累计，决定待遇领取地"))
        self.place_table.setHorizontalHeaderLabels([
            self.tr("参保地"), self.tr("实际缴费"), self.tr("视同缴费"), self.tr("1998年前缴费"),
            self.tr("合计月数"), self.tr("折合年数")])
        self._fill()
