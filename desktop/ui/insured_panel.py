"""Medical years and unemployment time across regions, and the residents' scheme years, as the person
page shows them: each region's months (paid here, known by sync, or carried from another region's
certificate), the total, the retiree minimum medical years here, the longest unemployment benefit, and
the residents' personal contribution refunded for months that are employee pension time."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget, QWidget

from desktop.ui.history_model import money
from desktop.ui.layout import ERROR_STYLE, Retranslating, hbox, heading, vbox
from desktop.ui.layout import text_label as _label
from desktop.ui.record_panel import fill_row, fit_rows, region_text, small_table

if TYPE_CHECKING:
    from desktop.core.services.insured_time import (
        Carried,
        InsuredTime,
        MedicalCertificate,
        RegionTime,
    )
    from desktop.core.services.residents import ResidentResult

REFUND_COLOR = QColor("#b00020")
MET_STYLE = "color: #1b5e20;"
NOTE_STYLE = "color: #666;"


class InsuredPanel(Retranslating, QWidget):
    """Medical years, unemployment time, residents' years of one person; the medical transfer
    certificates issued and received with their due dates, and the button that issues one."""

    medical_certificate_requested = Signal()

    def __init__(self, parent: QWidget | None = None, most_rows: int = 8, margin: int = 0) -> None:
        super().__init__(parent)
        self.most_rows = most_rows
        self.medical: InsuredTime | None = None
        self.unemployment: InsuredTime | None = None
        self.residents: tuple[ResidentResult, ...] = ()
        self.office_region = ""
        self.problem = ""
        self.error = _label("insured_error", ERROR_STYLE)
        self.medical_title = heading(1)
        self.medical_table = small_table(4, stretch=False)
        self.medical_table.setObjectName("medical_regions")
        self.medical_empty = _label("medical_empty", NOTE_STYLE)
        self.medical_total = _label("medical_total")
        self.medical_minimum = _label("medical_minimum")
        self.certificates: tuple[MedicalCertificate, ...] = ()
        self.receipts: tuple[Carried, ...] = ()
        self.medical_moves = _label("medical_moves")
        self.medical_certificate_button = QPushButton()
        self.medical_certificate_button.setObjectName("medical_certificate")
        self.medical_certificate_button.clicked.connect(self.medical_certificate_requested)
        self.unemployment_title = heading(1)
        self.unemployment_table = small_table(4, stretch=False)
        self.unemployment_table.setObjectName("unemployment_regions")
        self.unemployment_empty = _label("unemployment_empty", NOTE_STYLE)
        self.unemployment_total = _label("unemployment_total")
        self.unemployment_benefit = _label("unemployment_benefit")
        self.residents_title = heading(1)
        self.residents_table = small_table(6, stretch=False)
        self.residents_table.setObjectName("resident_years")
        self.residents_empty = _label("residents_empty", NOTE_STYLE)
        self.refund_note = _label("refund_note", NOTE_STYLE)
        self.setLayout(vbox(
            self.error,
            self.medical_title, self.medical_table, self.medical_empty, self.medical_total, self.medical_minimum,
            self.medical_moves, hbox(self.medical_certificate_button, 1),
            self.unemployment_title, self.unemployment_table, self.unemployment_empty, self.unemployment_total,
            self.unemployment_benefit,
            self.residents_title, self.residents_table, self.residents_empty, self.refund_note, 1,
            margin=margin, spacing=6))
        self.retranslate()

    def show_insured(self, medical: InsuredTime | None, unemployment: InsuredTime | None,
                     residents: Sequence[ResidentResult], office_region: str = "", problem: str = "",
                     certificates: Sequence[MedicalCertificate] = (), receipts: Sequence[Carried] = ()) -> None:
        """Show a person's insured time (problem: why it could not be read), and the medical transfer
        certificates issued here and received here."""
        self.medical, self.unemployment, self.residents = medical, unemployment, tuple(residents)
        self.certificates, self.receipts = tuple(certificates), tuple(receipts)
        self.office_region, self.problem = office_region, problem
        self._fill()

    def source_text(self, r: RegionTime) -> str:
        """Where a region's months are known from: paid here, by sync, or a certificate typed in."""
        if r.carried:
            return self.tr("转入凭证")
        if not self.office_region or r.region == self.office_region:
            return self.tr("本地缴费")
        return self.tr("同步")

    def scheme_name(self, scheme: str) -> str:
        """A residents' scheme in words."""
        names = {"resident_pension": self.tr("城乡居民养老保险"), "resident_medical": self.tr("城乡居民医疗保险")}
        return names.get(scheme, scheme)

    def refund_tip(self) -> str:
        """Why a refund is due (人社部发〔2014〕17号)."""
        return self.tr("人社部发〔2014〕17号：与职工养老保险重复的月份按职工缴费计算，居民个人缴费按月退还")

    def _regions(self, table: QTableWidget, empty: QLabel, time: InsuredTime | None) -> None:
        regions = time.regions if time is not None else ()
        table.setRowCount(len(regions))
        for row, r in enumerate(regions):
            source = self.source_text(r)
            fill_row(table, row, [region_text(r.region), f"{r.first} — {r.last}", str(r.months), source],
                     right=(2,), tips={0: region_text(r.region), 3: source})
        fit_rows(table, 1, self.most_rows)
        table.setVisible(bool(regions))
        empty.setVisible(time is not None and not regions)

    def _years(self, months: int, years: Decimal) -> str:
        return self.tr("{months} 个月（{years} 年）").format(months=months, years=f"{years:.2f}")

    def _fill(self) -> None:
        self.error.setText(self.problem)
        self.error.setVisible(bool(self.problem))
        med, une = self.medical, self.unemployment
        self._regions(self.medical_table, self.medical_empty, med)
        self._regions(self.unemployment_table, self.unemployment_empty, une)
        for label in (self.medical_total, self.medical_minimum, self.unemployment_total,
                      self.unemployment_benefit):
            label.setVisible(False)
        if med is not None:
            self.medical_total.setText(self.tr("累计缴费 {time}").format(time=self._years(med.months, med.years)))
            self.medical_total.setVisible(True)
            if med.minimum_months is None:
                self.medical_minimum.setText(self.tr("本地区退休最低缴费年限未设置（shebao insured minimum）"))
                self.medical_minimum.setStyleSheet(NOTE_STYLE)
            else:
                years = med.minimum_months // 12
                if med.meets_minimum:
                    self.medical_minimum.setText(self.tr("退休时需累计满{years}年：已满足").format(years=years))
                    self.medical_minimum.setStyleSheet(MET_STYLE)
                else:
                    self.medical_minimum.setText(self.tr("退休时需累计满{years}年：尚差{months}个月").format(
                        years=years, months=med.minimum_months - med.months))
                    self.medical_minimum.setStyleSheet(ERROR_STYLE)
            self.medical_minimum.setVisible(True)
        if une is not None:
            text = self.tr("计算缴费时间 {time}").format(time=self._years(une.months, une.years))
            if une.since is not None:
                text += self.tr("，自{month}起（上次领取失业保险金后重新计算）").format(month=str(une.since))
            self.unemployment_total.setText(text)
            self.unemployment_total.setVisible(True)
            if une.benefit_months:
                self.unemployment_benefit.setText(self.tr("可领取失业保险金最长{months}个月").format(
                    months=une.benefit_months))
                self.unemployment_benefit.setStyleSheet(MET_STYLE)
            else:
                self.unemployment_benefit.setText(self.tr("不满1年，不能领取失业保险金"))
                self.unemployment_benefit.setStyleSheet(NOTE_STYLE)
            self.unemployment_benefit.setVisible(True)
        self._fill_moves()
        self._fill_residents()

    def _fill_moves(self) -> None:
        """Each certificate with its due date: the old office's when issued here, the new office's when
        received here."""
        lines = []
        for c in self.certificates:
            text = self.tr("已开具医保转移凭证 {number}，转往{region}：转出地办结时限{due}{estimate}，"
                           "转入地收到后{days}个工作日内办结").format(
                number=c.number, region=region_text(c.to_region), due=c.due.isoformat(),
                estimate=self.tr("（预计）") if c.due_estimated else "", days=self.new_office_days())
            lines.append(text + (self.tr("（已作废）") if c.voided else ""))
        for r in self.receipts:
            if r.due is None or r.issued_on is None:
                continue
            text = self.tr("已接收医保转移凭证 {number}（{issued}出具）：转入地办结时限{due}{estimate}").format(
                number=r.certificate, issued=r.issued_on.isoformat(), due=r.due.isoformat(),
                estimate=self.tr("（预计）") if r.due_estimated else "")
            if r.old_office_due is not None:
                text += self.tr("；转出地办结时限{due}").format(due=r.old_office_due.isoformat())
            lines.append(text)
        self.medical_moves.setText("\n".join(lines))
        self.medical_moves.setVisible(bool(lines))
        self.medical_certificate_button.setVisible(self.medical is not None)

    def new_office_days(self) -> int:
        """The new office's working days (医保发〔2021〕43号)."""
        from desktop.core import transfer_rules as tr

        return tr.rules().medical_new_office_working_days

    def _fill_residents(self) -> None:
        table = self.residents_table
        table.setRowCount(len(self.residents))
        tip = self.refund_tip()
        refunds = False
        for row, y in enumerate(self.residents):
            fill_row(table, row, [self.scheme_name(y.scheme), str(y.year), money(y.personal), money(y.subsidy),
                                  str(y.employee_months), money(y.refund)], right=(1, 2, 3, 4, 5), tips={5: tip})
            item = table.item(row, 5)
            if y.refund > 0 and item is not None:
                refunds = True
                item.setForeground(REFUND_COLOR)
        fit_rows(table, 1, self.most_rows)
        table.setVisible(bool(self.residents))
        self.residents_empty.setVisible(not self.residents and self.medical is not None)
        self.refund_note.setText(tip)
        self.refund_note.setVisible(refunds)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.medical_title.setText(self.tr("医疗保险累计缴费年限"))
        self.unemployment_title.setText(self.tr("失业保险累计缴费时间"))
        self.residents_title.setText(self.tr("城乡居民保险"))
        self.medical_certificate_button.setText(self.tr("开具医保转移凭证"))
        self.medical_certificate_button.setToolTip(self.tr("转出：开具基本医疗保险参保（合）凭证（医保发〔2021〕43号）"))
        for table in (self.medical_table, self.unemployment_table):
            table.setHorizontalHeaderLabels([self.tr("参保地"), self.tr("期间"), self.tr("月数"), self.tr("来源")])
        self.medical_empty.setText(self.tr("没有职工医疗保险缴费时间。"))
        self.unemployment_empty.setText(self.tr("没有计算中的失业保险缴费时间。"))
        self.residents_table.setHorizontalHeaderLabels([
            self.tr("险种"), self.tr("年度"), self.tr("个人缴费"), self.tr("政府补贴"),
            self.tr("当年职工缴费月数"), self.tr("应退个人缴费")])
        self.residents_empty.setText(self.tr("没有城乡居民保险缴费记录。"))
        self._fill()
