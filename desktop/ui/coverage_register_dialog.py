"""The register of certificates of coverage, searchable, and the statistics by year and country."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from desktop.core.agreements import shipped
from desktop.core.ledger import Ledger
from desktop.core.outfile import write_whole
from desktop.ui import files
from desktop.ui.layout import error_label, hbox, short_message, vbox
from desktop.ui.operations import query
from desktop.ui.person_page import read_only_table, set_row
from desktop.ui.pickers import CountryPicker
from desktop.ui.runner import Runner


class CoverageRegisterDialog(QDialog):
    """Issued certificates filtered by country and year; statistics saved as CSV or PDF."""

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.runner = ledger, runner
        self.setWindowTitle(self.tr("参保证明登记簿与统计"))
        self.country = CountryPicker(shipped(), any_text=self.tr("全部国家"))
        self.year = QSpinBox()
        self.year.setRange(0, 2999)
        self.year.setSpecialValueText(self.tr("全部年度"))
        self.year.setValue(0)
        self.register = read_only_table(8)
        self.register.setHorizontalHeaderLabels([
            self.tr("证明编号"), self.tr("姓名"), self.tr("国家"), self.tr("起始"), self.tr("截止"),
            self.tr("类别"), self.tr("状态"), self.tr("出具日期")])
        self.stats = read_only_table(5)
        self.stats.setHorizontalHeaderLabels([self.tr("年度"), self.tr("协定国"), self.tr("受雇人员"),
                                              self.tr("自雇人员"), self.tr("合计")])
        tabs = QTabWidget()
        tabs.addTab(self.register, self.tr("登记簿(&R)"))
        tabs.addTab(self.stats, self.tr("统计(&S)"))
        self.csv_button = QPushButton(self.tr("导出CSV(&C)…"))
        self.pdf_button = QPushButton(self.tr("导出PDF(&P)…"))
        close = QPushButton(self.tr("关闭"))
        self.error = error_label()
        self.summary = QLabel()
        self.country.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.csv_button.clicked.connect(lambda: self._save("csv"))
        self.pdf_button.clicked.connect(lambda: self._save("pdf"))
        close.clicked.connect(self.reject)
        self.setLayout(vbox(hbox(QLabel(self.tr("国家：")), self.country, QLabel(self.tr("年度：")),
                                 self.year, 1), tabs, self.summary, self.error,
                            hbox(self.csv_button, self.pdf_button, 1, close), margin=10))
        self.resize(900, 560)
        self.loaded = False
        self.refresh()

    def refresh_from_database(self) -> None:
        """The database changed elsewhere (the window noticed): read it again."""
        self.refresh()

    def refresh(self) -> None:
        """Read the register and the statistics for the chosen country and year."""
        country, year = self.country.currentData(), self.year.value() or None
        ledger = self.ledger
        query(self, lambda: (ledger.exemptions.register_list(country, None, year),
                             ledger.exemptions.statistics(year)), self.runner) \
            .success(self._show).failure(lambda error: self.error.setText(short_message(error))).run()

    def _show(self, result: Any) -> None:
        certificates, stats = result
        partners = shipped()
        self.register.setRowCount(len(certificates))
        for row, c in enumerate(certificates):
            state = (self.tr("已撤销") if c.withdrawn else
                     self.tr("提前终止 ") + c.ended_on.isoformat() if c.ended_on else self.tr("有效"))
            kind = self.tr("自雇") if c.self_employed else self.tr("受雇")
            if c.extension:
                kind += self.tr("（延期）")
            set_row(self.register, row, [c.number, c.name, partners[c.country].partner_zh,
                                         c.valid_from.isoformat(), c.valid_to.isoformat(), kind, state,
                                         c.issued_on.isoformat()])
        country = self.country.currentData()
        shown = [r for r in stats if country is None or r["country"] == country]
        self.stats.setRowCount(len(shown))
        for row, r in enumerate(shown):
            set_row(self.stats, row, [str(r["year"]), partners[r["country"]].partner_zh,
                                      str(r["employees"]), str(r["self_employed"]), str(r["total"])], 2)
        self.summary.setText(self.tr("共 %n 份证明", "", len(certificates)))
        self.loaded = True

    def save_csv(self, path: str | Path) -> None:
        """Write the statistics as CSV (UTF-8 with BOM)."""
        Path(path).write_text(self.ledger.exemptions.statistics_csv(self.year.value() or None), encoding="utf-8")

    def save_pdf(self, path: str | Path) -> None:
        """Write the statistics as a PDF table."""
        write_whole(path, self.ledger.exemptions.statistics_document(self.year.value() or None))

    def _save(self, kind: str) -> None:
        name = f"参保证明统计.{kind}"
        filters = self.tr("CSV 文件 (*.csv)") if kind == "csv" else self.tr("PDF 文件 (*.pdf)")
        path = files.save_file_name(self, self.tr("导出统计"), name, filters)
        if path:
            (self.save_csv if kind == "csv" else self.save_pdf)(path)
