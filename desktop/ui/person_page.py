"""The person page: identity and hukou, enrolments, contribution history, individual account,
documents issued, the pension record by place, medical and unemployment time with the residents'
years, and the actions a clerk takes for the person."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from desktop.core.regions import name_of
from desktop.ui import i18n
from desktop.ui.history_model import ARREARS_BG, BACK_PAYMENT_BG, HistoryModel, money
from desktop.ui.insured_panel import InsuredPanel
from desktop.ui.layout import Retranslating, hbox, heading, vbox
from desktop.ui.operations import query
from desktop.ui.record_panel import RecordPanel, place_rows, region_text
from desktop.ui.retirement_panel import RetirementPanel
from desktop.ui.runner import Runner

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.core.ledger import Ledger
    from desktop.core.services.accounts import Statement
    from desktop.core.services.documents import DocumentInfo
    from desktop.core.services.history import RowKey
    from desktop.core.services.insured_time import Carried, InsuredTime, MedicalCertificate
    from desktop.core.services.record import RecordView
    from desktop.core.services.residents import ResidentResult
    from desktop.core.services.retirement import RetirementInfo
    from desktop.core.services.workers import WorkerInfo

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class PersonRecord:
    """Everything the page shows, read in one background call."""

    statement: Statement
    worker_id: int
    keys: list[RowKey]
    documents: list[DocumentInfo]
    titles: dict[str, tuple[str, str]]
    pension: RecordView | None = None  # the pension record by place
    pension_error: BaseException | None = None  # why it could not be read
    medical: InsuredTime | None = None  # medical years in every region
    unemployment: InsuredTime | None = None  # unemployment time since the last claim
    residents: tuple[ResidentResult, ...] = ()  # the residents' scheme years
    office_region: str = ""  # this office's region: months paid here, the rest known by sync
    insured_error: BaseException | None = None  # why the insured time could not be read
    medical_certificates: tuple[MedicalCertificate, ...] = ()  # medical transfer certificates issued here
    medical_receipts: tuple[Carried, ...] = ()  # medical transfer certificates received here
    retirement: RetirementInfo | None = None  # the retirement day, the minimum and what is missing
    retirement_error: BaseException | None = None  # why it could not be read


def document_titles() -> dict[str, tuple[str, str]]:
    """Chinese and English titles of each kind of document, from the form files."""
    from desktop.core.forms.spec import FormFileError
    from desktop.core.services.documents import forms

    try:
        return {kind: (spec.title, spec.title_en) for kind, spec in forms().items()}
    except FormFileError:
        return {}  # a broken form file must not stop the clerk from seeing the person


def load_person(ledger: Ledger, key: str, viewed: bool = False) -> PersonRecord:
    """A person's statement, history keys, documents, pension record, medical and unemployment time and
    residents' years (runs on the worker); viewed: a clerk opens the page, noted in the view log."""
    statement = ledger.accounts.statement(key)
    key = statement.worker.key
    if viewed:
        ledger.views.record(statement.worker.id, "view", "person page")
    worker_id, keys = ledger.history.month_keys(key)
    documents = ledger.documents.list_for(key)
    return PersonRecord(statement, worker_id, keys, documents, document_titles(),
                        **read_pension(ledger, key), **read_insured(ledger, key),
                        **read_retirement(ledger, key))


def read_pension(ledger: Ledger, key: str) -> dict[str, Any]:
    """The pension-record fields of a PersonRecord (a refusal is shown on its tab)."""
    from desktop.core.errors import ShebaoError

    try:
        return {"pension": ledger.records.view(key), "pension_error": None}
    except ShebaoError as exc:  # the rest of the page is still worth showing
        return {"pension": None, "pension_error": exc}


def read_insured(ledger: Ledger, key: str) -> dict[str, Any]:
    """The medical, unemployment and residents' fields of a PersonRecord."""
    from desktop.core.errors import ShebaoError

    found: dict[str, Any] = {"medical": None, "unemployment": None, "residents": (), "office_region": "",
                             "medical_certificates": (), "medical_receipts": (), "insured_error": None}
    try:  # what was read before a refusal is still shown
        found["medical"] = ledger.insured.medical(key)
        found["unemployment"] = ledger.insured.unemployment(key)
        found["residents"] = tuple(ledger.residents.years(key))
        found["office_region"] = ledger.office.get().region
        found["medical_certificates"] = tuple(ledger.insured.medical_certificates(key))
        found["medical_receipts"] = tuple(ledger.insured.medical_receipts(key))
    except ShebaoError as exc:
        found["insured_error"] = exc
    return found


def read_retirement(ledger: Ledger, key: str) -> dict[str, Any]:
    """The retirement fields of a PersonRecord."""
    from desktop.core.errors import ShebaoError

    try:
        return {"retirement": ledger.retirement.check(key), "retirement_error": None}
    except ShebaoError as exc:
        return {"retirement": None, "retirement_error": exc}


# The tabs whose figures follow from the months paid: read again when next looked at after a month
# was recorded (index in the page's tabs, and how they are read).
PENSION_TAB, INSURED_TAB, RETIREMENT_TAB = 4, 5, 6
SECTIONS = {PENSION_TAB: read_pension, INSURED_TAB: read_insured, RETIREMENT_TAB: read_retirement}


def yuan(fen: int) -> Decimal:
    """An amount in fen as yuan."""
    return Decimal(fen).scaleb(-2)


def read_only_table(columns: int) -> QTableWidget:
    """A small table the clerk reads but does not edit."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setMinimumSectionSize(64)
    table.setAlternatingRowColors(True)
    return table


def set_row(table: QTableWidget, row: int, values: list[str], right_from: int = 99) -> None:
    """Fill one row of a small table."""
    for col, text in enumerate(values):
        item = QTableWidgetItem(text)
        if col >= right_from:
            item.setTextAlignment(RIGHT)
        table.setItem(row, col, item)


class PersonPage(Retranslating, QWidget):
    """Everything about one insured person, keyboard reachable."""

    record_requested = Signal()
    exemption_requested = Signal()
    print_requested = Signal()
    transfer_requested = Signal()
    temporary_requested = Signal()
    opening_requested = Signal()
    switch_requested = Signal()
    flexible_requested = Signal()

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.statement: Statement | None = None
        self.record: PersonRecord | None = None
        self.worker: WorkerInfo | None = None
        self._stale: set[int] = set()  # tabs (SECTIONS) to read again when next looked at
        self.person_name = heading(5)
        self.person_name.setObjectName("person_name")
        self.identity = QGridLayout()
        self.identity.setHorizontalSpacing(16)
        self.identity_labels: list[QLabel] = []
        self.identity_values: list[QLabel] = []
        for i in range(6):
            label, value = QLabel(), QLabel()
            label.setStyleSheet("color: #555;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.identity.addWidget(label, i // 3, (i % 3) * 2)
            self.identity.addWidget(value, i // 3, (i % 3) * 2 + 1)
            self.identity_labels.append(label)
            self.identity_values.append(value)
        self.identity.setColumnStretch(5, 1)
        self.record_button = QPushButton()
        self.record_button.setObjectName("record_month")
        # the keys (Ctrl+M, Ctrl+P, ...) are the window's 参保人 menu actions: they work wherever the focus is
        self.record_button.clicked.connect(self.record_requested)
        self.transfer_button = QPushButton()
        self.transfer_button.setObjectName("transfer")
        self.transfer_button.clicked.connect(self.transfer_requested)
        self.temporary_button = QPushButton()
        self.temporary_button.setObjectName("temporary")
        self.temporary_button.clicked.connect(self.temporary_requested)
        self.exemption_button = QPushButton()
        self.exemption_button.setObjectName("exemption")
        self.exemption_button.clicked.connect(self.exemption_requested)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_statement")
        self.print_button.clicked.connect(self.print_requested)
        self.switch_button = QPushButton()
        self.switch_button.setObjectName("scheme_switch")
        self.switch_button.clicked.connect(self.switch_requested)
        self.flexible_button = QPushButton()
        self.flexible_button.setObjectName("flexible")
        self.flexible_button.clicked.connect(self.flexible_requested)
        self.opening_button = QPushButton()
        self.opening_button.setObjectName("opening")
        self.opening_button.clicked.connect(self.opening_requested)
        self.opening_button.setVisible(False)  # supervisors only: set_supervisor
        self.not_yet: tuple[QPushButton, ...] = ()
        button: QPushButton  # the tuple is empty today: mypy infers no element type from it
        for button in self.not_yet:
            button.setEnabled(False)
        self.tabs = QTabWidget()
        self.enrolments = read_only_table(6)
        self.history_model = HistoryModel(runner, self)
        self.history = QTableView()
        self.history.setObjectName("history")
        self.history.setModel(self.history_model)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.history.horizontalHeader().setStretchLastSection(True)
        self._size_history_columns()
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.account = read_only_table(8)
        self.balance = QLabel()
        self.balance.setObjectName("balance")
        self.document_table = read_only_table(5)
        self.document_table.setObjectName("documents")
        self.documents = QLabel()
        self.documents.setObjectName("documents_empty")
        self.documents.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.documents.setStyleSheet("color: #666;")
        self.pension_title = heading(1)
        self.pension_where = QLabel()
        self.pension_where.setObjectName("pension_where")
        self.pension_where.setStyleSheet("color: #555;")
        self.pension_record = RecordPanel(self)
        self.pension_record.setObjectName("pension_record")
        self.pension_place = QLabel()
        self.pension_place.setObjectName("pension_place")
        self.pension_place.setWordWrap(True)
        self.pension_place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pension_money = QLabel()
        self.pension_money.setObjectName("pension_money")
        self.pension_money.setWordWrap(True)
        self.insured = InsuredPanel(margin=12)
        self.insured.setObjectName("insured")
        insured_tab = QScrollArea()
        insured_tab.setWidgetResizable(True)
        insured_tab.setFrameShape(QScrollArea.Shape.NoFrame)
        insured_tab.setWidget(self.insured)
        self.retirement = RetirementPanel(margin=12)
        self.retirement.setObjectName("retirement")
        self.retirement.bind(runner, lambda: self.history_model.ledger)
        retirement_tab = QScrollArea()
        retirement_tab.setWidgetResizable(True)
        retirement_tab.setFrameShape(QScrollArea.Shape.NoFrame)
        retirement_tab.setWidget(self.retirement)
        history_tab, account_tab, documents_tab = QWidget(), QWidget(), QWidget()
        pension_tab = QWidget()
        pension_tab.setLayout(vbox(hbox(self.pension_title, 1, self.pension_where), self.pension_record,
                                   self.pension_money, self.pension_place, 1, margin=12))
        history_tab.setLayout(vbox(self.history, hbox(self.legend, 1, self.history_model.export_bar()), margin=6))
        account_tab.setLayout(vbox(self.account, self.balance, margin=6))
        self.documents_title = heading(1)
        documents_tab.setLayout(vbox(self.documents_title, self.document_table, self.documents, 1,
                                     margin=12))
        self.tabs.addTab(self.enrolments, "")
        self.tabs.addTab(history_tab, "")
        self.tabs.addTab(account_tab, "")
        self.tabs.addTab(documents_tab, "")
        self.tabs.addTab(pension_tab, "")
        self.tabs.addTab(insured_tab, "")
        self.tabs.addTab(retirement_tab, "")
        self.tabs.currentChanged.connect(self._tab_shown)
        actions = hbox(self.record_button, self.print_button, self.exemption_button, self.transfer_button,
                       self.temporary_button, self.switch_button, self.flexible_button, self.opening_button,
                       *self.not_yet, 1)
        self.setLayout(vbox(self.person_name, self.identity, actions, self.tabs, margin=8,
                            spacing=10))
        self.retranslate()

    def _size_history_columns(self) -> None:
        """Fixed widths from the font: measuring contents would read every row of the history."""
        metrics = self.history.fontMetrics()
        model = self.history_model
        amount = metrics.horizontalAdvance("00,000.00") + 24
        widths = [metrics.horizontalAdvance("0000-00") + 28,
                  metrics.horizontalAdvance("中" * 13) + 16,
                  metrics.horizontalAdvance("000,000.00") + 24]
        widths += [amount] * len(model.schemes)
        for col, width in enumerate(widths):
            title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
            self.history.setColumnWidth(col, max(width, metrics.horizontalAdvance(title) + 24))

    def show_person(self, record: PersonRecord) -> None:
        """Show a person's statement, documents and (lazily) their month-by-month history."""
        self.record = record
        self.statement = record.statement
        self.worker = record.statement.worker
        self._stale.clear()
        self.history_model.reset(record.worker_id, record.keys)
        self.retranslate()

    # -- refreshing what a write changed ---------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what the changes touch of the person shown: the month rows recorded and the
        statement (account, enrolments) when only months changed, whose other figures (pension record,
        insured time, retirement) are read again when their tab is next looked at; the documents list
        when only documents were issued; otherwise the whole page."""
        ledger, worker = self.history_model.ledger, self.worker
        if ledger is None or worker is None or not changes.touches(worker.key):
            return
        key = worker.key
        if changes.only_months(key):
            self.history_model.refresh_rows([row.row_key for row in changes.months_of(key)])
            query(self, lambda: ledger.accounts.statement(key), self.runner) \
                .success(lambda statement: self._statement_read(key, statement)).run()
            self._stale.update(SECTIONS)
            self._tab_shown(self.tabs.currentIndex())
        elif changes.documents and not (changes.everything or changes.months or changes.cases
                                        or changes.employers or changes.reference):
            query(self, lambda: ledger.documents.list_for(key), self.runner) \
                .success(lambda documents: self._documents_read(key, documents)).run()
        else:
            query(self, lambda: load_person(ledger, key), self.runner) \
                .success(lambda record: self._record_read(key, record)).run()

    def _shows(self, key: str) -> bool:
        """Whether the page still shows the person with this key."""
        return self.record is not None and self.worker is not None and self.worker.key == key

    def _record_read(self, key: str, record: PersonRecord) -> None:
        if self._shows(key):
            self.show_person(record)

    def _statement_read(self, key: str, statement: Statement) -> None:
        """Show the statement read again: identity, enrolments, the account by year, the balance."""
        if self._shows(key) and self.record is not None:
            self.record = replace(self.record, statement=statement)
            self.statement = statement
            self._fill_statement()

    def _documents_read(self, key: str, documents: list[DocumentInfo]) -> None:
        if self._shows(key) and self.record is not None:
            self.record = replace(self.record, documents=documents)
            self._fill_documents()

    def _tab_shown(self, index: int) -> None:
        """Read a section again if a write made it stale, now that it is looked at."""
        read = SECTIONS.get(index)
        ledger, worker = self.history_model.ledger, self.worker
        if index not in self._stale or read is None or ledger is None or worker is None:
            return
        self._stale.discard(index)
        key = worker.key
        query(self, lambda: read(ledger, key), self.runner) \
            .success(lambda fields: self._section_read(key, index, fields)).run()

    def _section_read(self, key: str, index: int, fields: dict[str, Any]) -> None:
        if not self._shows(key) or self.record is None:
            return
        self.record = replace(self.record, **fields)
        {PENSION_TAB: self._fill_pension, INSURED_TAB: self._fill_insured,
         RETIREMENT_TAB: self._fill_retirement}[index]()

    def set_supervisor(self, supervisor: bool) -> None:
        """Offer the supervisors' actions (entering the history before the record began) or not."""
        self.opening_button.setVisible(supervisor)
        self.opening_button.setEnabled(supervisor)

    def last_employer(self) -> str | None:
        """The employer of the newest history row, when it has been read."""
        row = self.history_model.row_at(0)
        return row.employer_uscc if row is not None else None

    def _fill(self) -> None:
        """Fill identity, enrolments, account, documents and the other tabs."""
        if self.statement is None:
            return
        self._fill_statement()
        self._fill_documents()
        self._fill_pension()
        self._fill_insured()
        self._fill_retirement()

    def _fill_statement(self) -> None:
        """Fill identity, enrolments, the account by year and the balance from the statement."""
        st = self.statement
        if st is None:
            return
        w = st.worker
        self.person_name.setText(w.name)
        sex = self.tr("男") if w.sex == "M" else self.tr("女")
        if w.hukou_region:
            hukou = name_of(w.hukou_region)
            kind = self.tr("城镇") if w.hukou_type == "urban" else self.tr("农村")
            where, what = f"{hukou}（{w.hukou_region}）", kind
        else:
            where, what = w.nationality, w.passport or ""
        values = [w.id_number or w.ssn, sex, w.birth_date.isoformat(), where, what, w.phone or "—"]
        for label, text in zip(self.identity_values, values, strict=True):
            label.setText(text)
        from desktop.core.refdata import schemes

        lang = i18n.lang()
        self.enrolments.setRowCount(0)
        for record in st.schemes:
            periods = record.regions or ()
            for k, period in enumerate(periods or (None,)):
                row = self.enrolments.rowCount()
                self.enrolments.insertRow(row)
                scheme = schemes()[record.scheme].name(lang) if k == 0 else ""
                if period is None:
                    set_row(self.enrolments, row,
                            [scheme, "", "", "0", "", str(record.months_in_arrears)], 3)
                    continue
                set_row(self.enrolments, row, [
                    scheme, f"{name_of(period.region)}（{period.region}）",
                    f"{period.first_month} — {period.last_month}", str(period.months_paid),
                    str(record.months_paid) if k == 0 else "",
                    str(record.months_in_arrears) if k == 0 else ""], 3)
        self.account.setRowCount(len(st.account_years))
        for row, y in enumerate(reversed(st.account_years)):
            set_row(self.account, row, [
                str(y.year), str(y.months), money(y.base_total), money(y.opening),
                f"{y.rate * 100:.2f}%" if y.rate is not None else "—",
                money(y.interest) if y.interest is not None else "—",
                money(y.credited), money(y.closing)], 1)
        note = "" if st.interest_complete else self.tr("（部分年度记账利率未设置，利息不完整）")
        self.balance.setText(self.tr("个人账户余额：{balance} 元").format(
            balance=money(st.individual_account_balance)) + note)

    def _fill_documents(self) -> None:
        """List the documents issued, or say there are none."""
        record = self.record
        docs = record.documents if record is not None else []
        self.document_table.setVisible(bool(docs))
        self.documents.setVisible(not docs)
        self.document_table.setRowCount(len(docs))
        english = i18n.lang() == "en"
        for row, d in enumerate(docs):
            title = record.titles.get(d.kind, (d.kind, d.kind)) if record else (d.kind, d.kind)
            set_row(self.document_table, row, [
                d.number, title[1] if english else title[0], d.issued_on.isoformat(), str(d.prints),
                self.tr("已作废") if d.voided else self.tr("有效")])

    def _fill_pension(self) -> None:
        """The pension record by place, its money, and where the pension would be paid now."""
        record = self.record
        view = record.pension if record is not None else None
        if view is None:
            problem = record.pension_error if record is not None else None
            text = i18n.message(problem) if problem is not None else ""
            self.pension_record.show_record((), (), (), text)
            for label in (self.pension_where, self.pension_money, self.pension_place):
                label.clear()
            return
        self.pension_where.setText(self.tr("参保关系所在地：{region}").format(region=region_text(view.region)))
        self.pension_record.show_record(view.periods, place_rows(view.places, view.place.years),
                                        view.held_back)
        m = view.money
        self.pension_money.setText(self.tr(
            "个人账户 {account} 元（其中1998年前 {pre1998} 元），统筹基金 {pooling} 元，"
            "1998年起计算月数 {months}").format(
                account=money(yuan(m.account_fen)), pre1998=money(yuan(m.pre1998_fen)),
                pooling=money(yuan(m.pooling_fen)), months=m.months_counted))
        self.pension_place.setText(self.tr("如现在申领，待遇领取地：{region}（{rule}）").format(
            region=region_text(view.place.region), rule=self.place_rule(view.place.rule)))

    def _fill_insured(self) -> None:
        """Medical years, unemployment time and the residents' years."""
        record = self.record
        if record is None:
            self.insured.show_insured(None, None, ())
            return
        problem = i18n.message(record.insured_error) if record.insured_error is not None else ""
        self.insured.show_insured(record.medical, record.unemployment, record.residents, record.office_region,
                                  problem, record.medical_certificates, record.medical_receipts)

    def _fill_retirement(self) -> None:
        """The retirement day, the minimum, and the estimate (read afresh for a new person)."""
        record = self.record
        if record is None:
            self.retirement.show_retirement(None)
            return
        problem = i18n.message(record.retirement_error) if record.retirement_error is not None else ""
        self.retirement.show_retirement(record.retirement, problem, record.statement.worker.key)

    def place_rule(self, rule: str) -> str:
        """A pension-place rule in words (国办发〔2009〕66号第六条)."""
        from desktop.core import transfer_rules as tr

        years = tr.rules().pension_place_years
        texts = {
            "place.hukou": self.tr("基本养老保险关系在户籍所在地，由户籍所在地负责办理待遇领取手续"),
            "place.current_10_years": self.tr("在现参保地累计缴费满{years}年，由现参保地负责办理待遇领取手续"),
            "place.previous_10_years": self.tr(
                "在现参保地累计缴费不满{years}年，由最近一个累计缴费满{years}年的参保地负责办理待遇领取手续"),
            "place.back_to_hukou": self.tr(
                "在各参保地累计缴费均不满{years}年，养老保险关系和相应资金转回户籍所在地，"
                "由户籍所在地负责办理待遇领取手续"),
        }
        return texts.get(rule, rule).format(years=years)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        titles = [self.tr("证件号码"), self.tr("性别"), self.tr("出生日期"), self.tr("户籍地"),
                  self.tr("户籍性质"), self.tr("联系电话")]
        if self.worker is not None and not self.worker.hukou_region:
            titles[3:5] = [self.tr("国籍"), self.tr("护照号码")]
        for label, text in zip(self.identity_labels, titles, strict=True):
            label.setText(text)
        self.record_button.setText(self.tr("记录缴费(&M)"))
        self.record_button.setToolTip(self.tr("记录一个月的缴费（Ctrl+M）"))
        self.transfer_button.setText(self.tr("发起转移(&T)"))
        self.exemption_button.setText(self.tr("免缴证明(&X)"))
        self.print_button.setText(self.tr("打印(&D)"))
        self.print_button.setToolTip(self.tr("预览参保缴费证明，打印或另存为PDF时编号（Ctrl+P）"))
        self.exemption_button.setToolTip(self.tr("出具双边协定参保证明（Ctrl+Shift+X）"))
        self.transfer_button.setToolTip(self.tr("养老保险关系转移：测算、申请转入（Ctrl+T）"))
        self.temporary_button.setText(self.tr("临时缴费账户(&A)"))
        self.temporary_button.setToolTip(self.tr("临时基本养老保险缴费账户：查看、封存、归集（Ctrl+L）"))
        self.flexible_button.setText(self.tr("灵活就业缴费(&G)"))
        self.flexible_button.setToolTip(self.tr("灵活就业人员按月、季或年缴纳职工基本养老保险（Ctrl+G）"))
        self.switch_button.setText(self.tr("制度衔接(&J)"))
        self.switch_button.setToolTip(self.tr("职工养老保险与城乡居民养老保险制度衔接（达到退休年龄时，Ctrl+J）"))
        self.opening_button.setText(self.tr("建账前历史(&K)"))
        self.opening_button.setToolTip(self.tr("录入视同缴费年限和1998年前缴费（审核主管，Ctrl+H）"))
        for button in self.not_yet:
            button.setToolTip(self.tr("尚未开放"))
        for i, text in enumerate([self.tr("参保情况"), self.tr("缴费记录"), self.tr("个人账户"),
                                  self.tr("已出具文书"), self.tr("养老保险参保记录"),
                                  self.tr("医疗·失业·居民"), self.tr("退休")]):
            self.tabs.setTabText(i, text)
        self.enrolments.setHorizontalHeaderLabels([
            self.tr("险种"), self.tr("参保地"), self.tr("缴费期间"), self.tr("本地缴费月数"),
            self.tr("累计缴费月数"), self.tr("欠缴月数")])
        self.account.setHorizontalHeaderLabels([
            self.tr("年度"), self.tr("缴费月数"), self.tr("缴费基数合计"), self.tr("年初余额"),
            self.tr("记账利率"), self.tr("当年利息"), self.tr("当年记入"), self.tr("年末余额")])
        self.legend.setText(self.tr(
            "<span style='background:{arrears}'>&nbsp;欠缴&nbsp;</span> 已申报未缴费　"
            "<span style='background:{back}'>&nbsp;补缴&nbsp;</span> 逾期补缴").format(
                arrears=ARREARS_BG.name(), back=BACK_PAYMENT_BG.name()))
        self.documents_title.setText(self.tr("已出具文书"))
        self.document_table.setHorizontalHeaderLabels([
            self.tr("文书编号"), self.tr("文书种类"), self.tr("出具日期"), self.tr("打印次数"),
            self.tr("状态")])
        self.documents.setText(self.tr("尚未为此人出具任何文书。"))
        self.pension_title.setText(self.tr("养老保险参保记录（按参保地）"))
        self.history_model.retranslate()
        self._size_history_columns()
        self._fill()
