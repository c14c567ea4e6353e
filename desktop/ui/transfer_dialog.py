"""Moving the person shown between pooling regions (养老保险关系转移): what would move, whether a
temporary account is needed, where the pension would be paid, each with its rule in words; at the
new office, the request that opens the case and issues the contact letter (联系函)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QWidget,
)

from desktop.core import transfer_rules as tr
from desktop.core.errors import ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.regions import name_of, validate_region
from desktop.core.services.transfers import LETTER_FIELDS, StepResult
from desktop.core.services.workers import WorkerInfo
from desktop.ui import i18n
from desktop.ui.history_model import money
from desktop.ui.layout import FormDialog, hbox, heading, line_edit, short_message
from desktop.ui.register_dialog import optional_phone, required
from desktop.ui.runner import Runner

IN, OUT = "in", "out"
SETTINGS_KEY = "transfer/letter_"


@dataclass(frozen=True)
class TransferContext:
    """The office and how many months of the person's record each place counts (known here; a place is a
    province, 人社部规〔2016〕5号)."""

    office_region: str
    months: dict[str, int]

    @property
    def months_here(self) -> int:
        """Months counted in this office's place."""
        return self.months.get(tr.place_key(self.office_region), 0)


@dataclass(frozen=True)
class TransferPreview:
    """What the dialog shows for one direction and region; amounts only where they are known."""

    direction: str
    region: str
    same_region: bool
    months: int
    account: Decimal | None
    pooling: Decimal | None
    total: Decimal | None
    temporary: bool
    temporary_rule: str
    place_region: str
    place_rule: str
    years_without_interest: tuple[int, ...] = ()


@dataclass(frozen=True)
class TransferInput:
    """What the clerk entered for a request."""

    from_region: str
    letter: dict[str, str]
    channel: str


def load_context(ledger: Ledger, worker: WorkerInfo) -> TransferContext:
    """The office's region and the person's months by pooling region (runs on the worker)."""
    office = ledger.office.get()
    place = ledger.transfers.pension_place(worker.key)
    return TransferContext(office.region, dict(place.months))


def load_preview(ledger: Ledger, worker: WorkerInfo, direction: str, region: str) -> TransferPreview:
    """The plan for leaving this region (out), or what is known here of a move in (runs on the worker).

    Out: the core's plan, amounts included. In: the months there as recorded here, an estimate of
    the amounts from them (the old office's information table decides), the temporary-account rule
    as `request` will apply it, and the pension place if claimed now.
    """
    office = ledger.office.get()
    same = tr.pooling_key(region) == tr.pooling_key(office.region)
    if direction == OUT:
        p = ledger.transfers.plan(worker.key, region)
        return TransferPreview(OUT, region, same, p.months_counted, p.individual_account, p.pooling_fund,
                               p.total, p.temporary_account, p.temporary_rule, p.place_region, p.place_rule,
                               p.years_without_interest)
    place = ledger.transfers.pension_place(worker.key)
    decision = tr.needs_temporary_account(worker.sex, worker.birth_date, ledger.today(),
                                          worker.hukou_region or office.region, region, office.region)
    months = place.months.get(tr.place_key(region), 0)
    account = pooling = total = None
    if months and not same:
        p = ledger.transfers.plan(worker.key, office.region, from_region=region)
        account, pooling, total = p.individual_account, p.pooling_fund, p.total
    return TransferPreview(IN, region, same, months, account, pooling, total,
                           decision.temporary, decision.rule, place.region, place.rule)


class TransferDialog(FormDialog):
    """Plan a move and, at the new office, request the transfer; refusals keep the dialog open.

    succeeded(StepResult) is emitted with the case and its contact letter.
    """

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.context: TransferContext | None = None
        self.preview: TransferPreview | None = None
        self._asked = itertools.count(1)
        self._latest = 0
        self._direction_chosen = False
        self._fit_timer = QTimer(self)  # owned by the dialog: it dies with it, never fires after
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self._fit_height)
        self.person = heading(2)
        self.direction_in = QRadioButton()
        self.direction_out = QRadioButton()
        self.direction_in.setObjectName("direction_in")
        self.direction_out.setObjectName("direction_out")
        self.directions = QButtonGroup(self)
        self.directions.addButton(self.direction_in)
        self.directions.addButton(self.direction_out)
        self.direction_in.setChecked(True)
        self.body.insertWidget(0, self.person)
        self.body.insertLayout(1, hbox(self.direction_in, self.direction_out, 1, spacing=24))
        self.region = line_edit(6, 8)
        self.region.setObjectName("region")
        self.add_field("region", self.region, self._check_region, live=False)
        self.region_name = QLabel()
        self.region_name.setObjectName("region_name")
        self.grid.addWidget(self.region_name, self.grid.rowCount(), 1, 1, 2)
        self.plan_box = QGroupBox()
        plan = QGridLayout(self.plan_box)
        plan.setHorizontalSpacing(14)
        plan.setVerticalSpacing(6)
        plan.setColumnStretch(1, 1)
        self.plan_labels: dict[str, QLabel] = {}
        self.plan_values: dict[str, QLabel] = {}
        for row, name in enumerate(("account", "pooling", "total", "months", "temporary", "place")):
            label, value = QLabel(), QLabel("—")
            label.setStyleSheet("color: #555;")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value.setObjectName(f"plan_{name}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            plan.addWidget(label, row, 0)
            plan.addWidget(value, row, 1)
            self.plan_labels[name], self.plan_values[name] = label, value
        self.plan_note = QLabel()
        self.plan_note.setObjectName("plan_note")
        self.plan_note.setWordWrap(True)
        self.plan_note.setStyleSheet("color: #555;")
        plan.addWidget(self.plan_note, plan.rowCount(), 0, 1, 2)
        self.grid.addWidget(self.plan_box, self.grid.rowCount(), 0, 1, 3)
        self.request_title = heading(1)
        self.grid.addWidget(self.request_title, self.grid.rowCount(), 0, 1, 3)
        self.letter = {name: line_edit(200 if name in ("bank_account_name", "bank", "address") else 40,
                                       30 if name in ("bank_account_name", "address") else 20)
                       for name in LETTER_FIELDS}
        checks: dict[str, Callable[[str], object] | None] = {
            "bank_account_name": None, "bank": required("bank"), "bank_account": required("bank_account"),
            "address": None, "phone": optional_phone}
        saved = i18n.settings()
        for name, edit in self.letter.items():
            edit.setObjectName(name)
            edit.setText(str(saved.value(SETTINGS_KEY + name, "") or ""))
            self.add_field(name, edit, checks[name])
        self.paper = QCheckBox()
        self.paper.setObjectName("paper")
        self.grid.addWidget(self.paper, self.grid.rowCount(), 1, 1, 2)
        self.region.textChanged.connect(self._region_typed)
        self.direction_in.toggled.connect(self._direction_changed)
        self.direction_out.clicked.connect(self._chosen)
        self.direction_in.clicked.connect(self._chosen)
        self.retranslate()
        self._direction_changed()
        self.resize(780, self.sizeHint().height())
        self.region.setFocus()
        runner.run(lambda: load_context(ledger, worker), self._context_loaded)

    # -- direction and region -----------------------------------------------------------------

    @property
    def direction(self) -> str:
        """IN: this office is the new one (request); OUT: it is the old one (plan only)."""
        return IN if self.direction_in.isChecked() else OUT

    def _chosen(self) -> None:
        self._direction_chosen = True

    def _context_loaded(self, result: Any, error: BaseException | None) -> None:
        """Start in the direction that fits: out when every month known is in this office's place, else in."""
        if error is not None:
            self.general_error.setText(i18n.message(error))
            return
        self.context = result
        elsewhere = sum(n for k, n in result.months.items() if k != tr.place_key(result.office_region))
        if not self._direction_chosen and result.months_here and not elsewhere:
            self.direction_out.setChecked(True)
        self._refresh()

    def _direction_changed(self) -> None:
        incoming = self.direction == IN
        for name in LETTER_FIELDS:
            self.fields[name].editor.setEnabled(incoming)
            self.fields[name].label.setEnabled(incoming)
        self.paper.setEnabled(incoming)
        self.request_title.setEnabled(incoming)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(incoming)
        self.retranslate()
        self._refresh()

    def _check_region(self, text: str) -> None:
        validate_region(text, "region")

    def _region_typed(self, text: str) -> None:
        """Name the region as it is typed; the plan follows once the code is complete."""
        self.fields["region"].error.clear()
        self.general_error.clear()
        if len(text.strip()) < 6:
            self.region_name.clear()
            self._latest = next(self._asked)
            self._show_preview(None)
            return
        if self.validate("region"):
            self.region_name.setText(name_of(text.strip()))
        else:
            self.region_name.clear()
        self._refresh()

    def _refresh(self) -> None:
        """Read the plan for the region typed, in the background; older answers are dropped."""
        text = self.region.text().strip()
        try:
            code = validate_region(text, "region")
        except ShebaoError:
            self._latest = next(self._asked)
            self._show_preview(None)
            return
        ask = self._latest = next(self._asked)
        ledger, worker, direction = self.ledger, self.worker, self.direction
        self.runner.run(lambda: load_preview(ledger, worker, direction, code),
                        lambda result, error: self._preview_loaded(ask, result, error))

    def _preview_loaded(self, ask: int, result: Any, error: BaseException | None) -> None:
        if ask != self._latest:
            return
        if error is not None:
            self._show_preview(None)
            self.show_error(error)
            return
        self._show_preview(result)

    # -- the plan -----------------------------------------------------------------------------

    def rule_text(self, rule: str) -> str:
        """A rule id of the transfer rules, in words, with its source."""
        r = tr.rules()
        texts = {
            "place.hukou": self.tr("基本养老保险关系在户籍所在地，由户籍所在地负责办理待遇领取手续"),
            "place.current_10_years": self.tr(
                "在现参保地累计缴费满{years}年，由现参保地负责办理待遇领取手续"),
            "place.previous_10_years": self.tr(
                "在现参保地累计缴费不满{years}年，由最近一个累计缴费满{years}年的参保地负责办理待遇领取手续"),
            "place.back_to_hukou": self.tr(
                "在各参保地累计缴费均不满{years}年，养老保险关系和相应资金转回户籍所在地，"
                "由户籍所在地负责办理待遇领取手续"),
            "normal.back_to_hukou_province": self.tr("转入户籍所在省份，不受年龄限制，正常转移"),
            "normal.approved": self.tr("经批准的转移，不受年龄限制，正常转移"),
            "normal.within_province": self.tr("在同一省份内转移，不属于跨省流动，正常转移"),
            "normal.under_age": self.tr("男未满{men}周岁、女未满{women}周岁，正常转移"),
            "temporary.age_other_province": self.tr(
                "男年满{men}周岁、女年满{women}周岁，且转入地不是户籍所在省份：养老保险关系不转移，"
                "在转入地建立临时基本养老保险缴费账户"),
        }
        text = texts.get(rule, rule).format(years=r.pension_place_years, men=r.temporary_age_men,
                                            women=r.temporary_age_women)
        source = self.tr("国办发〔2009〕66号第六条") if rule.startswith("place.") else \
            self.tr("国办发〔2009〕66号第五条")
        return self.tr("{text}（{source}）").format(text=text, source=source)

    def _show_preview(self, preview: TransferPreview | None) -> None:
        self._fill_preview(preview)
        self._fit_timer.start(0)

    def _fit_height(self) -> None:
        """Grow to show every wrapped line of the plan (its texts differ by region and language)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if need > self.height():
            self.resize(self.width(), need)

    def _fill_preview(self, preview: TransferPreview | None) -> None:
        self.preview = preview
        values = self.plan_values
        if preview is None:
            for value in values.values():
                value.setText("—")
            self.plan_note.setText(self.tr("输入6位行政区划代码后显示测算结果。"))
            return
        yuan = self.tr("{amount} 元")
        for name, amount in (("account", preview.account), ("pooling", preview.pooling),
                             ("total", preview.total)):
            values[name].setText(yuan.format(amount=money(amount)) if amount is not None else "—")
        if preview.direction == OUT:
            values["months"].setText(self.tr("{months} 个月（本统筹地区1998年1月起实际缴费月数）").format(
                months=preview.months))
        else:
            values["months"].setText(self.tr("{months} 个月（本机构所知的在转出地所在省份的参保月数，含视同缴费和1998年前缴费）").format(
                months=preview.months))
        answer = self.tr("是：建立临时基本养老保险缴费账户") if preview.temporary else self.tr("否")
        values["temporary"].setText(f"{answer} — {self.rule_text(preview.temporary_rule)}")
        place = f"{preview.place_region} {name_of(preview.place_region)}"
        values["place"].setText(f"{place} — {self.rule_text(preview.place_rule)}")
        if preview.same_region:
            self.plan_note.setText(render("transfer.same_region", i18n.lang(), region=preview.region))
            self.plan_note.setStyleSheet("color: #b00020;")
            return
        self.plan_note.setStyleSheet("color: #555;")
        if preview.direction == OUT and preview.years_without_interest:
            self.plan_note.setStyleSheet("color: #b00020;")
            self.plan_note.setText(self.tr(
                "{years} 年的记账利率尚未录入，个人账户未计该年利息，转出办理将被拒绝：请先在“机构设置 → 费率与工资 → "
                "记账利率”中录入。").format(years=tr.years_text(preview.years_without_interest)))
        elif preview.direction == OUT:
            self.plan_note.setText(self.tr(
                "以上为测算，不写入任何数据。转入地申请后，在“转移业务工作清单”中办理转出并出具信息表。"))
        else:
            self.plan_note.setText(self.tr(
                "金额为按本机构所记录的转出地缴费测算，以转出地出具的参保缴费信息表为准；"
                "到账后在“转移业务工作清单”中确认。") if preview.total is not None else self.tr(
                "转移金额由转出地计算，以转出地出具的参保缴费信息表为准；到账后在“转移业务工作清单”中确认。"))

    # -- the request --------------------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        """A region refused is shown beside the region; everything else in the error line."""
        if getattr(error, "field", None) in ("from_region", "to_region", "region"):
            self.fields["region"].error.setText(short_message(error))
            self.region.setFocus()
            return
        super().show_error(error)

    def collect(self) -> TransferInput:
        """The entered values."""
        return TransferInput(self.region.text().strip(),
                             {name: edit.text().strip() for name, edit in self.letter.items()},
                             "paper" if self.paper.isChecked() else "sync")

    def operation(self, data: Any) -> Callable[[], Any]:
        """Open the case and issue the contact letter."""
        ledger, key = self.ledger, self.worker.key
        return lambda: ledger.transfers.request(key, data.from_region, data.letter, data.channel)

    def accept(self) -> None:
        """Request the transfer (new office only), with progress while the letter is made."""
        if self.direction != IN or self.runner_busy_here():
            return
        self.clear_errors()
        if not self.validate_all():
            self.focus_first_error()
            return
        data = self.collect()
        self.set_busy(True)
        work = self.operation(data)
        self.runner.run_task(lambda _task: work(), self._requested, self.tr("正在出具联系函…"), self,
                             cancellable=False)

    def _requested(self, result: Any, error: BaseException | None) -> None:
        if error is None and isinstance(result, StepResult):
            saved = i18n.settings()
            for name, edit in self.letter.items():
                saved.setValue(SETTINGS_KEY + name, edit.text().strip())
        self._done(result, error)

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the request runs (the request button only in its direction)."""
        super().set_busy(busy)
        if not busy:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.direction == IN)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("养老保险关系转移") + f" — {self.worker.name}")
        self.person.setText(f"{self.worker.name}　{self.worker.key}")
        self.direction_in.setText(self.tr("转入本地：本机构为转入地，申请转入(&I)"))
        self.direction_out.setText(self.tr("转出本地：本机构为转出地，测算转出(&O)"))
        incoming = self.direction == IN
        self.fields["region"].label.setText(self.tr("转出地(&R)") if incoming else self.tr("转入地(&R)"))
        self.region.setPlaceholderText(self.tr("6位行政区划代码"))
        self.plan_box.setTitle(self.tr("转移测算"))
        for name, text in (("account", self.tr("个人账户")), ("pooling", self.tr("统筹基金")),
                           ("total", self.tr("合计")), ("months", self.tr("计算月数")),
                           ("temporary", self.tr("临时缴费账户")), ("place", self.tr("待遇领取地"))):
            self.plan_labels[name].setText(text)
        self.request_title.setText(self.tr("申请转入（联系函上的本机构收款信息）"))
        labels = {"bank_account_name": self.tr("开户名称(&N)"), "bank": self.tr("开户银行(&B)"),
                  "bank_account": self.tr("银行账号(&A)"), "address": self.tr("地址(&D)"),
                  "phone": self.tr("联系电话(&P)")}
        for name, text in labels.items():
            self.fields[name].label.setText(text)
        self.letter["bank_account_name"].setPlaceholderText(self.tr("空白时为本机构名称"))
        self.paper.setText(self.tr("纸质办理（联系函邮寄转出地，不经同步文件）(&Z)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("申请转入并出具联系函(&S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))
        self._show_preview(self.preview)
