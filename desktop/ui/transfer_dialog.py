"""Moving the person shown between pooling regions (养老保险关系转移): what would move (the whole record
by place: months paid, received, deemed years, months before 1998), whether funds move at all (a move
inside one pooling unit is a change of registration), whether a temporary account is needed, where the
pension would be paid and the years per place that decide it, each with its rule in words; at the new
office, the request that opens the case and issues the contact letter (联系函)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTabWidget,
    QWidget,
)

from desktop.core import pension_record as pr
from desktop.core import transfer_rules as tr
from desktop.core.errors import RefusedByRule, ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.regions import name_of, validate_region
from desktop.core.services.record import HeldBack
from desktop.core.services.transfers import LETTER_FIELDS, StepResult
from desktop.core.services.workers import WorkerInfo
from desktop.ui import i18n
from desktop.ui.history_model import money
from desktop.ui.layout import ERROR_STYLE, FormDialog, hbox, heading, line_edit, short_message
from desktop.ui.operations import query
from desktop.ui.pickers import RegionPicker, check_region
from desktop.ui.record_panel import RecordPanel, plan_place_rows
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
    kind: str = "transfer"  # transfer | registration (inside one pooling unit: no funds) | temporary
    periods: tuple[pr.Period, ...] = ()  # the record that would move, by place
    held_back: tuple[HeldBack, ...] = ()  # lump sums of 3 years or more without their document
    place_years: tuple[tuple[str, Decimal], ...] = ()  # years by place that decide the pension place

    @property
    def registration(self) -> bool:
        """A move inside one pooling unit: a change of registration, no funds, no letter."""
        return self.kind == "registration" and not self.same_region

    @property
    def opens_temporary(self) -> bool:
        """A request here opens a temporary account: the relationship stays, no funds, no letter."""
        return self.direction == IN and self.kind == "temporary" and not self.same_region


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

    Out: the core's plan, amounts and the record by place included. In: the months known here in the
    old region's place, an estimate of the amounts and of the record that would come from what is
    known here (the old office's information table decides), the temporary-account rule as `request`
    will apply it, and the pension place if claimed now with the years by place behind it.
    """
    office = ledger.office.get()
    same = tr.pooling_key(region) == tr.pooling_key(office.region)
    if direction == OUT:
        p = ledger.transfers.plan(worker.key, region)
        return TransferPreview(OUT, region, same, p.months_counted, p.individual_account, p.pooling_fund,
                               p.total, p.temporary_account, p.temporary_rule, p.place_region, p.place_rule,
                               p.years_without_interest, p.kind, p.periods, p.held_back, p.place_years)
    place = ledger.transfers.pension_place(worker.key)
    decision = tr.needs_temporary_account(worker.sex, worker.birth_date, ledger.today(),
                                          worker.hukou_region or office.region, region, office.region)
    months = place.months.get(tr.place_key(region), 0)
    years = tuple(sorted(place.years.items()))
    if same:
        return TransferPreview(IN, region, same, months, None, None, None, decision.temporary, decision.rule,
                               place.region, place.rule, place_years=years)
    p = ledger.transfers.plan(worker.key, office.region, from_region=region)
    known = months and p.funds_move
    return TransferPreview(IN, region, same, months, p.individual_account if known else None,
                           p.pooling_fund if known else None, p.total if known else None,
                           decision.temporary, decision.rule, place.region, place.rule, (), p.kind, p.periods,
                           p.held_back, years)


class TransferDialog(FormDialog):
    """Plan a move and, at the new office, request the transfer; refusals keep the dialog open.

    succeeded(StepResult) is emitted with the case and its contact letter; opening_requested when a
    supervisor (history=True) asks to enter the history before the record began.
    """

    opening_requested = Signal()

    def __init__(self, ledger: Ledger, runner: Runner, worker: WorkerInfo,
                 parent: QWidget | None = None, history: bool = False) -> None:
        super().__init__(runner, parent)
        self.ledger, self.worker = ledger, worker
        self.context: TransferContext | None = None
        self.preview: TransferPreview | None = None
        self._asked = itertools.count(1)
        self._latest = 0
        self._direction_chosen = False
        self._started = False  # the direction was set from the first context read
        self._fit_timer = QTimer(self)  # owned by the dialog: it dies with it, never fires after
        self._fit_timer.setSingleShot(True)
        self._fit_timer.timeout.connect(self._fit_height)
        self.person = heading(2)
        self.direction_in = QRadioButton()
        self.direction_out = QRadioButton()
        self.direction_in.setObjectName("direction_in")
        self.direction_out.setObjectName("direction_out")
        for button in (self.direction_in, self.direction_out):  # never cut short: the dialog widens
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.directions = QButtonGroup(self)
        self.directions.addButton(self.direction_in)
        self.directions.addButton(self.direction_out)
        self.direction_in.setChecked(True)
        self.body.insertWidget(0, self.person)
        self.body.insertLayout(1, hbox(self.direction_in, self.direction_out, 1, spacing=24))
        self.refusal: RefusedByRule | None = None  # why a request here would be refused, whatever the region
        self.refusal_checked = False  # the rules were asked (the answer may be no refusal)
        self.refusal_note = QLabel()
        self.refusal_note.setObjectName("refusal")
        self.refusal_note.setWordWrap(True)
        self.refusal_note.setStyleSheet(ERROR_STYLE)
        self.refusal_note.setVisible(False)
        self.body.insertWidget(2, self.refusal_note)
        self.region = RegionPicker()
        self.region.setObjectName("region")
        self.add_field("region", self.region, self._check_region, live=False)
        self.region_name = QLabel()
        self.region_name.setObjectName("region_name")
        self.grid.addWidget(self.region_name, self.grid.rowCount(), 1, 1, 2)
        self.plan_tabs = QTabWidget()
        self.plan_tabs.setObjectName("plan_tabs")
        self.plan_box = QWidget()
        plan = QGridLayout(self.plan_box)
        plan.setHorizontalSpacing(14)
        plan.setVerticalSpacing(6)
        plan.setColumnStretch(1, 1)
        self.plan_labels: dict[str, QLabel] = {}
        self.plan_values: dict[str, QLabel] = {}
        for row, name in enumerate(("kind", "account", "pooling", "total", "months", "temporary", "place",
                                    "years", "held_back")):
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
        plan.setRowStretch(plan.rowCount(), 1)
        self.plan_values["held_back"].setStyleSheet(ERROR_STYLE)
        self.record = RecordPanel(most_rows=5, margin=8)
        self.record.setObjectName("plan_record")
        self.plan_tabs.addTab(self.plan_box, "")
        self.plan_tabs.addTab(self.record, "")
        self.opening_button = QPushButton()
        self.opening_button.setObjectName("opening")
        self.opening_button.clicked.connect(self.opening_requested)
        self.opening_button.setVisible(history)
        self.plan_tabs.setCornerWidget(self.opening_button)
        self.grid.addWidget(self.plan_tabs, self.grid.rowCount(), 0, 1, 3)
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
        contact_of = ledger.office.contact  # the office's own details fill the lines still empty
        query(self, contact_of, self.runner).success(self._prefill_letter).run()
        self.paper = QCheckBox()
        self.paper.setObjectName("paper")
        self.grid.addWidget(self.paper, self.grid.rowCount(), 1, 1, 2)
        self.region.changed.connect(self._region_typed)
        self.direction_in.toggled.connect(self._direction_changed)
        self.direction_out.clicked.connect(self._chosen)
        self.direction_in.clicked.connect(self._chosen)
        self.retranslate()
        self._direction_changed()
        self.resize(780, self.sizeHint().height())
        self.region.setFocus()
        self.refresh_from_database()
        self.region.prepare(runner)

    def _prefill_letter(self, contact: Any) -> None:
        """Fill each empty letter line with the office's contact details from its settings."""
        for name, edit in self.letter.items():
            value = str(getattr(contact, name, "") or "")
            if value and not edit.text().strip():
                edit.setText(value)

    # -- direction and region -----------------------------------------------------------------

    @property
    def direction(self) -> str:
        """IN: this office is the new one (request); OUT: it is the old one (plan only)."""
        return IN if self.direction_in.isChecked() else OUT

    def _chosen(self) -> None:
        self._direction_chosen = True

    def _context_loaded(self, result: Any) -> None:
        """Start in the direction that fits: out when every month known is in this office's place, else in."""
        self.context = result
        elsewhere = sum(n for k, n in result.months.items() if k != tr.place_key(result.office_region))
        if not self._started and not self._direction_chosen and result.months_here and not elsewhere:
            self.direction_out.setChecked(True)
        self._started = True
        self._refresh()

    def refresh_from_database(self) -> None:
        """Read the person's record and the plan again (an entry was added, or another counter changed it)."""
        ledger, worker = self.ledger, self.worker
        query(self, lambda: load_context(ledger, worker), self.runner).success(self._context_loaded) \
            .failure(lambda error: self.general_error.setText(i18n.message(error))).run()
        query(self, lambda: ledger.transfers.can_apply_in(worker.key), self.runner) \
            .success(self._refusal_loaded).run()

    def _refusal_loaded(self, refusal: RefusedByRule | None) -> None:
        """A rule that refuses any request here for this person: the request disabled, the reason shown."""
        self.refusal, self.refusal_checked = refusal, True
        self._enable_request()

    def _direction_changed(self) -> None:
        self._enable_request()
        self.retranslate()
        self._refresh()

    @property
    def registration(self) -> bool:
        """Whether the plan shown is a change of registration inside the pooling unit (no letter)."""
        return self.preview is not None and self.preview.registration

    @property
    def temporary(self) -> bool:
        """Whether a request here opens a temporary contribution account (no letter)."""
        return self.preview is not None and self.preview.opens_temporary

    def _enable_request(self) -> None:
        """The letter's fields serve a request here (in) that moves funds (not a registration change)."""
        incoming = self.direction == IN
        letter = incoming and not self.registration and not self.temporary
        for name in LETTER_FIELDS:
            self.fields[name].editor.setEnabled(letter)
            self.fields[name].label.setEnabled(letter)
        self.paper.setEnabled(letter)
        self.request_title.setEnabled(incoming)
        refused = incoming and self.refusal is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(incoming and not refused)
        self.refusal_note.setVisible(refused)
        self.refusal_note.setText(self.tr("不能申请转入：{reason}").format(reason=short_message(self.refusal))
                                  if refused and self.refusal is not None else "")

    def _check_region(self, text: str) -> None:
        check_region(text, "region")

    def _region_typed(self, code: str) -> None:
        """Name the region picked or typed; the plan follows once it is a whole code."""
        self.fields["region"].error.clear()
        self.general_error.clear()
        if not (len(code) == 6 and code.isdigit()):
            self.region_name.clear()
            self._latest = next(self._asked)
            self._show_preview(None)
            return
        if self.validate("region"):
            self.region_name.setText(name_of(code))
        else:
            self.region_name.clear()
        self._refresh()

    def _refresh(self) -> None:
        """Read the plan for the region typed, in the background; older answers are dropped."""
        try:
            code = validate_region(self.region.code(), "region")
        except ShebaoError:
            self._latest = next(self._asked)
            self._show_preview(None)
            return
        ask = self._latest = next(self._asked)
        ledger, worker, direction = self.ledger, self.worker, self.direction
        query(self, lambda: load_preview(ledger, worker, direction, code), self.runner) \
            .success(lambda result: self._preview_loaded(ask, result, None)) \
            .failure(lambda error: self._preview_loaded(ask, None, error)).run()

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
        """Grow to show every wrapped line of the plan and the whole of each direction's text (the
        texts differ by region and language; the dialog's set minimum width keeps Qt from doing it)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wide = max(self.width(), layout.totalMinimumSize().width())
        need = layout.totalHeightForWidth(wide) if layout.hasHeightForWidth() \
            else layout.totalSizeHint().height()
        if need > self.height() or wide > self.width():
            self.resize(wide, max(need, self.height()))

    def _fill_preview(self, preview: TransferPreview | None) -> None:
        self.preview = preview
        self._enable_request()
        self._request_texts()
        values = self.plan_values
        self._fill_record(preview)
        if preview is None:
            for value in values.values():
                value.setText("—")
            self._show_line("held_back", False)
            self.plan_note.setStyleSheet("color: #555;")
            self.plan_note.setText(self.tr("选择地区（或输入6位行政区划代码）后显示测算结果。"))
            return
        values["kind"].setText(self.kind_text(preview))
        yuan = self.tr("{amount} 元")
        for name, amount in (("account", preview.account), ("pooling", preview.pooling),
                             ("total", preview.total)):
            if preview.registration or preview.opens_temporary:
                values[name].setText(self.tr("资金不转移"))
            else:
                values[name].setText(yuan.format(amount=money(amount)) if amount is not None else "—")
        if preview.direction == OUT:
            values["months"].setText(self.tr("{months} 个月（本统筹地区1998年1月起实际缴费月数）").format(
                months=preview.months))
        else:
            values["months"].setText(self.tr(
                "{months} 个月（本机构所知的在转出地所在省份的参保月数，含视同缴费和1998年前缴费）").format(
                months=preview.months))
        answer = self.tr("是：建立临时基本养老保险缴费账户") if preview.temporary else self.tr("否")
        values["temporary"].setText(f"{answer} — {self.rule_text(preview.temporary_rule)}")
        place = f"{preview.place_region} {name_of(preview.place_region)}"
        values["place"].setText(f"{place} — {self.rule_text(preview.place_rule)}")
        values["years"].setText(self.years_text(preview))
        values["held_back"].setText("\n".join(self.record.held_text(h) for h in preview.held_back))
        self._show_line("held_back", bool(preview.held_back))
        if preview.same_region:
            self.plan_note.setText(render("transfer.same_region", i18n.lang(), region=preview.region))
            self.plan_note.setStyleSheet(ERROR_STYLE)
            return
        self.plan_note.setStyleSheet("color: #555;")
        if preview.registration:
            self.plan_note.setText(self.tr(
                "{region}与本机构同属{unit}统筹单位（省级统筹）：这是统筹单位内的参保登记变更，养老保险关系"
                "和参保缴费记录接续，资金不转移，不出具联系函和参保缴费信息表。").format(
                    region=preview.region, unit=name_of(tr.province(preview.region))))
        elif preview.opens_temporary:
            self.plan_note.setText(self.tr(
                "养老保险关系留在原参保地，不出具联系函，资金不转移；本机构建立临时基本养老保险缴费账户，此后在本地的"
                "单位和个人全部缴费记入该账户。参保人再跨省流动时封存，达到待遇领取条件时由养老保险关系所在地归集"
                "（人社部规〔2016〕5号）。"))
        elif preview.direction == OUT and preview.years_without_interest:
            self.plan_note.setStyleSheet(ERROR_STYLE)
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

    def _show_line(self, name: str, shown: bool) -> None:
        self.plan_labels[name].setVisible(shown)
        self.plan_values[name].setVisible(shown)

    def _fill_record(self, preview: TransferPreview | None) -> None:
        """The record that would move, by place, in the plan's second tab."""
        if preview is None or preview.same_region:
            self.record.show_record((), (), (), self.tr("选择地区（或输入6位行政区划代码）后显示。") if preview is None
                                    else self.tr("同一统筹地区，无需转移。"))
        else:
            empty = self.tr("本机构没有该参保人在此统筹单位的参保记录。") if preview.direction == IN \
                else self.tr("本统筹单位没有该参保人的参保记录。")
            self.record.show_record(preview.periods, plan_place_rows(preview.periods, preview.place_years),
                                    preview.held_back, empty)
        count = len(preview.periods) if preview is not None and not preview.same_region else 0
        title = self.tr("参保记录（按参保地）(&J)")
        self.plan_tabs.setTabText(1, self.tr("{title}　{count}段").format(title=title, count=count) if count
                                  else title)

    def kind_text(self, preview: TransferPreview) -> str:
        """How the move is handled: a transfer with its funds, a registration change, a temporary account."""
        if preview.same_region:
            return self.tr("同一统筹地区，无需转移")
        if preview.registration:
            return self.tr("统筹单位内登记变更，资金不转移")
        if preview.kind == "temporary":
            return self.tr("临时基本养老保险缴费账户：养老保险关系不转移")
        return self.tr("转移：养老保险关系和资金一并转移")

    def years_text(self, preview: TransferPreview) -> str:
        """The years counted by place for the pension place (deemed years and years before 1998 included)."""
        if not preview.place_years:
            return "—"
        parts = [self.tr("{place} {years} 年").format(place=name_of(place), years=f"{years:.2f}")
                 for place, years in preview.place_years]
        return self.tr("{places}（按省计算，含视同缴费年限和1998年前缴费年限，人社部规〔2016〕5号）").format(
            places="；".join(parts))

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
        return TransferInput(self.region.code(),
                             {name: edit.text().strip() for name, edit in self.letter.items()},
                             "paper" if self.paper.isChecked() else "sync")

    def operation(self, data: Any) -> Callable[[], Any]:
        """Open the case and issue the contact letter (none for a registration change)."""
        ledger, key = self.ledger, self.worker.key
        return lambda: ledger.transfers.request(key, data.from_region, data.letter, data.channel)

    def accept(self) -> None:
        """Request the transfer (new office only), with progress while the letter is made."""
        if self.direction != IN or self.runner_busy_here() or self.refusal is not None:
            return
        self.clear_errors()
        registration = self.registration
        valid = self.validate("region", show_empty=True) if registration or self.temporary else self.validate_all()
        if not valid:
            self.focus_first_error()
            return
        label = self.tr("正在办理登记变更…") if registration else \
            self.tr("正在建立临时缴费账户…") if self.temporary else self.tr("正在出具联系函…")
        self.run_operation(self.collect(), progress=label)

    def _succeeded(self, result: Any) -> None:
        """Requested: keep the letter's details for the next one, then close."""
        if isinstance(result, StepResult) and result.document_number:
            saved = i18n.settings()
            for name, edit in self.letter.items():
                saved.setValue(SETTINGS_KEY + name, edit.text().strip())
        super()._succeeded(result)

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while the request runs (the request button only in its direction)."""
        super().set_busy(busy)
        if not busy:
            self._enable_request()

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("养老保险关系转移") + f" — {self.worker.name}")
        self.person.setText(f"{self.worker.name}　{self.worker.key}")
        self.direction_in.setText(self.tr("转入本地：本机构为转入地，申请转入(&I)"))
        self.direction_out.setText(self.tr("转出本地：本机构为转出地，测算转出(&O)"))
        incoming = self.direction == IN
        self.fields["region"].label.setText(self.tr("转出地(&R)") if incoming else self.tr("转入地(&R)"))
        self.plan_tabs.setTabText(0, self.tr("转移测算(&C)"))
        self.opening_button.setText(self.tr("建账前历史(&H)…"))
        self.opening_button.setToolTip(self.tr("录入视同缴费年限和1998年前缴费（审核主管）"))
        for name, text in (("kind", self.tr("办理方式")), ("account", self.tr("个人账户")),
                           ("pooling", self.tr("统筹基金")), ("total", self.tr("合计")),
                           ("months", self.tr("计算月数")), ("temporary", self.tr("临时缴费账户")),
                           ("place", self.tr("待遇领取地")), ("years", self.tr("各地累计年限")),
                           ("held_back", self.tr("暂不转移"))):
            self.plan_labels[name].setText(text)
        self.set_labels({"bank_account_name": self.tr("开户名称(&N)"), "bank": self.tr("开户银行(&B)"),
                         "bank_account": self.tr("银行账号(&A)"), "address": self.tr("地址(&D)"),
                         "phone": self.tr("联系电话(&P)")})
        self.letter["bank_account_name"].setPlaceholderText(self.tr("空白时为本机构名称"))
        self.paper.setText(self.tr("纸质办理（联系函邮寄转出地，不经同步文件）(&Z)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("关闭"))
        self._show_preview(self.preview)

    def _request_texts(self) -> None:
        """The request's title and button: a transfer with its letter, or a registration change."""
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if self.registration:
            self.request_title.setText(self.tr("统筹单位内登记变更（不出具联系函，资金不转移）"))
            save.setText(self.tr("办理登记变更(&S)"))
        elif self.temporary:
            self.request_title.setText(self.tr("建立临时基本养老保险缴费账户（养老保险关系不转移，不出具联系函）"))
            save.setText(self.tr("建立临时缴费账户(&S)"))
        else:
            self.request_title.setText(self.tr("申请转入（联系函上的本机构收款信息）"))
            save.setText(self.tr("申请转入并出具联系函(&S)"))
