"""The person page's retirement tab: when the person may retire (the statutory day with the rise from
2025, the flexible range), the minimum contribution months of that year against the months the record
has, and the pension estimate (养老金测算) with the clerk's assumptions and its scenarios side by side,
the account balance of each drawn over the years to retirement; the estimate sheet is printed from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QPushButton, QSizePolicy, QWidget

from desktop.ui import i18n
from desktop.ui.history_model import money
from desktop.ui.layout import ERROR_STYLE, Retranslating, hbox, heading, vbox
from desktop.ui.layout import text_label as _label
from desktop.ui.operations import query
from desktop.ui.record_panel import fill_row, fit_rows, small_table

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger
    from desktop.core.services.retirement import RetirementInfo
    from desktop.ui.runner import Runner

NOTE_STYLE = "color: #666;"
MET_STYLE = "color: #1b5e20;"
CHART_STEPS = 10000  # the chart's vertical resolution: a balance's share of the highest, in 1/10000
LINE_COLORS = ("#1565c0", "#6a1b9a", "#c62828", "#2e7d32", "#ef6c00", "#00838f", "#5d4037")


class BalanceChart(QWidget):
    """The individual account balance of each scenario, year by year, up to retirement (a small line
    chart drawn with QPainter: no chart library)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("balance_chart")
        self.paths: list[tuple[str, tuple[tuple[int, Decimal], ...]]] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_paths(self, paths: Sequence[tuple[str, Sequence[tuple[int, Decimal]]]]) -> None:
        """Set the lines (label, (year, balance) points) and redraw."""
        self.paths = [(label, tuple(points)) for label, points in paths if points]
        self.update()

    def paintEvent(self, event: Any) -> None:
        """Axes, one line per scenario, the legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self.paths:
            painter.setPen(QColor("#666666"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("无测算数据"))
            return
        years = [y for _, pts in self.paths for y, _ in pts]
        values = [v for _, pts in self.paths for _, v in pts]
        first, last = min(years), max(years)
        top = max(values) or Decimal(1)
        fm = painter.fontMetrics()
        left = fm.horizontalAdvance(f"{top:,.0f}") + 10
        legend_h = fm.height() + 6
        area = QRectF(left, 8, max(self.width() - left - 12, 10),
                      max(self.height() - 8 - fm.height() - 8 - legend_h, 10))
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        painter.setPen(QColor("#444444"))
        painter.drawText(QRectF(0, area.top() - 2, left - 6, fm.height()), Qt.AlignmentFlag.AlignRight,
                         f"{top:,.0f}")
        painter.drawText(QRectF(0, area.bottom() - fm.height(), left - 6, fm.height()),
                         Qt.AlignmentFlag.AlignRight, "0")
        span = max(last - first, 1)
        painter.drawText(QRectF(area.left(), area.bottom() + 2, 80, fm.height()), Qt.AlignmentFlag.AlignLeft,
                         str(first))
        if last != first:
            painter.drawText(QRectF(area.right() - 80, area.bottom() + 2, 80, fm.height()),
                             Qt.AlignmentFlag.AlignRight, str(last))
        x_legend = area.left()
        for i, (label, points) in enumerate(self.paths):
            color = QColor(LINE_COLORS[i % len(LINE_COLORS)])
            path = QPainterPath()
            for k, (year, value) in enumerate(points):
                share = int(value * CHART_STEPS // top)  # money stays Decimal; the pixel share is whole
                point = QPointF(area.left() + area.width() * (year - first) / span,
                                area.bottom() - area.height() * share / CHART_STEPS)
                if k == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
            painter.setPen(QPen(color, 2))
            painter.drawPath(path)
            y_legend = self.height() - legend_h + 2
            painter.fillRect(QRectF(x_legend, y_legend + fm.height() / 2 - 2, 14, 4), color)
            painter.setPen(QColor("#333333"))
            painter.drawText(QPointF(x_legend + 18, y_legend + fm.ascent()), label)
            x_legend += 18 + fm.horizontalAdvance(label) + 16


class RetirementPanel(Retranslating, QWidget):
    """The retirement day, the minimum and the estimate of one person (read-only but for the
    assumptions of the estimate)."""

    print_requested = Signal(object)  # the estimate's parameters (growth, interest, base_ratio)

    def __init__(self, parent: QWidget | None = None, margin: int = 12) -> None:
        super().__init__(parent)
        self.info: RetirementInfo | None = None
        self.estimate: Any = None
        self.problem = ""
        self.estimate_problem = ""
        self._runner: Runner | None = None
        self._ledger: Callable[[], Ledger | None] = lambda: None
        self._key = ""
        self._asked = 0
        self._stale = False
        self.title = heading(1)
        self.error = _label("retirement_error", ERROR_STYLE)
        self.day = _label("retirement_day")
        self.range = _label("retirement_range", NOTE_STYLE)
        self.minimum = _label("retirement_minimum")
        self.estimate_title = heading(1)
        self.growth = self._spin("growth", 0.0, 15.0, " %")
        self.interest = self._spin("interest", 0.0, 10.0, " %")
        self.ratio = self._spin("base_ratio", 0.6, 3.0, "")
        self.growth_label, self.interest_label, self.ratio_label = QLabel(), QLabel(), QLabel()
        for label, spin in ((self.growth_label, self.growth), (self.interest_label, self.interest),
                            (self.ratio_label, self.ratio)):
            label.setBuddy(spin)
        self.recompute = QPushButton()
        self.recompute.setObjectName("recompute")
        self.recompute.clicked.connect(self.request_estimate)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_estimate")
        self.print_button.clicked.connect(self._print)
        self.summary = _label("estimate_summary")
        self.scenarios = small_table(6, stretch=False)
        self.scenarios.setObjectName("scenarios")
        self.chart = BalanceChart(self)
        self.notes = _label("estimate_notes", NOTE_STYLE)
        self.estimate_error = _label("estimate_error", ERROR_STYLE)
        assumptions = hbox(self.growth_label, self.growth, self.interest_label, self.interest, self.ratio_label,
                           self.ratio, self.recompute, 1, self.print_button, spacing=8)
        self.setLayout(vbox(self.title, self.error, self.day, self.range, self.minimum, self.estimate_title,
                            assumptions, self.estimate_error, self.summary, self.scenarios, self.chart, self.notes,
                            1, margin=margin, spacing=8))
        self.retranslate()
        self.show_retirement(None)

    def _spin(self, name: str, low: float, high: float, suffix: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setDecimals(2)
        spin.setSingleStep(0.5 if suffix else 0.1)
        spin.setSuffix(suffix)
        spin.setKeyboardTracking(False)
        spin.setSpecialValueText("")
        spin.editingFinished.connect(self.request_estimate)
        return spin

    # -- the source of the estimate ------------------------------------------------------------

    def bind(self, runner: Runner, ledger: Callable[[], Ledger | None]) -> None:
        """Where estimates are read: the page's runner and the open ledger."""
        self._runner, self._ledger = runner, ledger

    def assumptions(self) -> dict[str, str | None]:
        """The clerk's assumptions as the estimate takes them (None: the estimate's default)."""
        growth = Decimal(str(round(self.growth.value(), 2))) / 100
        interest = Decimal(str(round(self.interest.value(), 2))) / 100
        ratio = Decimal(str(round(self.ratio.value(), 2)))
        return {"growth": f"{growth:.4f}", "interest": f"{interest:.4f}", "base_ratio": f"{ratio:.2f}"}

    def request_estimate(self) -> None:
        """Read the estimate for the person shown with the assumptions entered, in the background."""
        ledger = self._ledger()
        if self._runner is None or ledger is None or not self._key:
            return
        self._asked += 1
        ask, key, params = self._asked, self._key, self.assumptions() if self.estimate is not None else {}
        self.estimate_error.clear()
        query(self, lambda: ledger.pensions.estimate(key, **params), self._runner) \
            .success(lambda result: self._estimated(ask, result, None)) \
            .failure(lambda error: self._estimated(ask, None, error)).run()

    def _estimated(self, ask: int, result: Any, error: BaseException | None) -> None:
        if ask != self._asked:
            return
        if error is not None:
            self.estimate = None
            self.estimate_problem = i18n.message(error)
            self._fill_estimate()
            return
        first = self.estimate is None
        self.estimate, self.estimate_problem = result, ""
        if first:
            for spin, value, scale in ((self.growth, result.growth, 100), (self.interest, result.interest, 100),
                                       (self.ratio, result.base_ratio, 1)):
                spin.blockSignals(True)
                spin.setValue(spin.valueFromText(f"{value * scale:.2f}"))
                spin.blockSignals(False)
        self._fill_estimate()

    def _print(self) -> None:
        if self.estimate is not None:
            self.print_requested.emit(self.assumptions())

    # -- showing ---------------------------------------------------------------------------------

    def show_retirement(self, info: RetirementInfo | None, problem: str = "", key: str = "") -> None:
        """The retirement day and minimum of the person shown; the estimate is read afresh."""
        self.info, self.problem = info, problem
        if key != self._key:
            self.estimate = None
        self._key = key
        self._stale = info is not None
        self._fill()
        self._fill_estimate()
        if self.isVisible():
            self.ensure_estimate()

    def ensure_estimate(self) -> None:
        """Read the estimate if the person shown has none yet (the tab came into view)."""
        if self._stale:
            self._stale = False
            self.request_estimate()

    def showEvent(self, event: Any) -> None:
        """The estimate is read when the tab is first looked at, not with every page."""
        super().showEvent(event)
        self.ensure_estimate()

    def _fill(self) -> None:
        info = self.info
        self.error.setText(self.problem)
        self.error.setVisible(bool(self.problem))
        if info is None:
            for label in (self.day, self.range, self.minimum):
                label.clear()
            return
        years, months = divmod(info.retirement_age_months, 12)
        state = self.tr("已到达") if info.reached else self.tr("未到达")
        self.day.setText(self.tr("法定退休日期：{day}（{years}岁{months}个月，{group}岁退休年龄类别），{state}").format(
            day=info.retirement_date.isoformat(), years=years, months=months, group=info.group, state=state))
        self.range.setText(self.tr("可弹性提前至 {early}（不早于原法定退休年龄），"
                                   "或经单位同意弹性延迟至 {late}").format(
            early=info.earliest_date.isoformat(), late=info.latest_date.isoformat()))
        need_y, need_m = divmod(info.minimum_months, 12)
        if info.missing_months:
            text = self.tr("{year}年退休的最低缴费年限 {need_y}年{need_m}个月（{need}个月）；"
                           "已有 {have} 个月（各地合计，含视同缴费），"
                           "还差 {missing} 个月：可延长缴费或一次性补缴").format(
                year=info.retirement_date.year, need_y=need_y, need_m=need_m, need=info.minimum_months,
                have=info.months_counted, missing=info.missing_months)
            if info.extended_cost is not None:
                text += self.tr("；按灵活就业最低缴费基数延长缴费，"
                                "每月 {monthly} 元，共约 {cost} 元（按{basis}）").format(
                    monthly=money(info.monthly_cost), cost=money(info.extended_cost), basis=info.cost_basis)
            self.minimum.setStyleSheet(ERROR_STYLE)
        else:
            text = self.tr("{year}年退休的最低缴费年限 {need_y}年{need_m}个月（{need}个月）；"
                           "已有 {have} 个月，已满足").format(
                year=info.retirement_date.year, need_y=need_y, need_m=need_m, need=info.minimum_months,
                have=info.months_counted)
            self.minimum.setStyleSheet(MET_STYLE)
        self.minimum.setText(text)

    def scenario_label(self, name: str) -> str:
        """A scenario's name in words."""
        return {"keep": self.tr("在本地继续缴费"), "move": self.tr("转往外省继续缴费"), "stop": self.tr("现在停止缴费"),
                "flexible_60": self.tr("按60%灵活就业缴费"), "flexible_100": self.tr("按100%灵活就业缴费"),
                "flexible_300": self.tr("按300%灵活就业缴费")}.get(name, name)

    def _fill_estimate(self) -> None:
        e = self.estimate
        self.estimate_error.setText(self.estimate_problem)
        self.estimate_error.setVisible(bool(self.estimate_problem))
        self.print_button.setEnabled(e is not None)
        self.recompute.setEnabled(self.info is not None)
        if e is None:
            waiting = self.info is not None and not self.estimate_problem
            self.summary.setText(self.tr("正在测算…") if waiting else "")
            self.scenarios.setRowCount(0)
            self.chart.show_paths(())
            self.notes.clear()
            return
        self.summary.setText(self.tr(
            "按{day}退休测算（测算，仅供参考）：基础养老金 {basic} 元 + 个人账户养老金 {account} 元"
            "（账户 {balance} 元 ÷ 计发月数 {divisor}） + 过渡性养老金 {transitional} 元 = 每月 {total} 元").format(
                day=e.retirement_date.isoformat(), basic=money(e.basic), account=money(e.account_pension),
                balance=money(e.account_balance), divisor=e.divisor, transitional=money(e.transitional),
                total=money(e.total)))
        self.scenarios.setRowCount(len(e.scenarios))
        for row, sc in enumerate(e.scenarios):
            fill_row(self.scenarios, row, [self.scenario_label(sc.name), str(sc.months_counted), money(sc.basic),
                                           money(sc.account_pension), money(sc.transitional), money(sc.total)],
                     right=(1, 2, 3, 4, 5))
        fit_rows(self.scenarios, 1, 8)
        self.chart.show_paths([(self.scenario_label(sc.name), sc.balance_path) for sc in e.scenarios])
        self.notes.setText("\n".join(e.notes))

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        self.title.setText(self.tr("退休"))
        self.estimate_title.setText(self.tr("养老金测算"))
        self.growth_label.setText(self.tr("工资增长率(&W)"))
        self.interest_label.setText(self.tr("记账利率(&I)"))
        self.ratio_label.setText(self.tr("缴费基数比例(&B)"))
        self.recompute.setText(self.tr("重新测算(&C)"))
        self.print_button.setText(self.tr("打印测算表(&Y)"))
        self.scenarios.setHorizontalHeaderLabels([
            self.tr("情形"), self.tr("缴费月数"), self.tr("基础养老金"), self.tr("个人账户养老金"),
            self.tr("过渡性养老金"), self.tr("每月合计")])
        self._fill()
        self._fill_estimate()
