"""Register a Chinese citizen: the ID number gives sex and birth date as it is typed; with an employer
chosen the person is enrolled too (参保登记: employer, start month, schemes), in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QCompleter, QGridLayout, QLabel, QWidget

from desktop.core.changes import Changes
from desktop.core.errors import InvalidInput, ShebaoError
from desktop.core.ids import clean, parse_citizen_id
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.refdata import employee_schemes, schemes
from desktop.core.regions import name_of, validate_region
from desktop.core.services.employers import EmployerInfo
from desktop.core.services.flexible import FLEXIBLE_USCC
from desktop.core.services.workers import check_phone
from desktop.ui import i18n
from desktop.ui.layout import FormDialog, error_label, line_edit, short_message
from desktop.ui.operations import query
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class CitizenInput:
    """What the clerk entered for a new citizen."""

    id_number: str
    name: str
    hukou_region: str
    hukou_type: str
    phone: str | None
    employer: str | None = None  # credit code; None: registered without enrolment
    start: str | None = None
    schemes: tuple[str, ...] = ()


def required(field: str) -> Callable[[str], None]:
    """A check that only refuses an empty value."""

    def check(text: str) -> None:
        """Refuse an empty value."""
        if not text.strip():
            raise InvalidInput("required", field)

    return check


def optional_phone(text: str) -> None:
    """A phone number (an office's, in a letter) is optional; when given it needs at least six digits."""
    digits = [c for c in text if c.isdigit()]
    if text.strip() and len(digits) < 6:
        raise InvalidInput("phone.format", "phone", value=text.strip())


def contact_phone(text: str) -> None:
    """A person's contact number is optional; when given it is checked as the service checks it
    (a mobile number: 11 ASCII digits, 1 then 3 to 9; a landline with its area code)."""
    check_phone(text)


def find_employer(text: str, employers: list[EmployerInfo]) -> EmployerInfo | None:
    """The employer meant by what was typed: its entry as offered ("name（code）"), its credit code, its
    name, or the one employer whose name contains the text."""
    typed = text.strip()
    if not typed:
        return None
    code = clean(typed)
    for e in employers:
        if typed in (employer_entry(e), e.name) or code == e.uscc:
            return e
    found = [e for e in employers if typed in e.name]
    return found[0] if len(found) == 1 else None


def employer_entry(e: EmployerInfo) -> str:
    """An employer as offered in the list: name and credit code."""
    return f"{e.name}（{e.uscc}）"


class RegisterDialog(FormDialog):
    """Register an insured person who holds a resident identity card (and enrol them, 参保登记)."""

    _offering = False  # True while the dialog itself ticks the scheme boxes

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger = ledger
        self._cid_sex = ""
        self.id_number = line_edit(18 + 4, 20)
        self.person_name = line_edit(100)
        self.sex = QLabel("—")
        self.sex.setObjectName("derived_sex")
        self.birth_date = QLabel("—")
        self.birth_date.setObjectName("derived_birth_date")
        self.hukou_region = line_edit(6, 8)
        self.region_name = QLabel()
        self.hukou_type = QComboBox()
        self.hukou_type.addItem("", "urban")
        self.hukou_type.addItem("", "rural")
        self.phone = line_edit(30, 16)
        self.add_field("id_number", self.id_number, self._check_id)
        self.add_field("name", self.person_name, required("name"))
        self.sex_label = QLabel()
        self.birth_label = QLabel()
        row = self.grid.rowCount()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.grid.addWidget(self.sex_label, row, 0, right)
        self.grid.addWidget(self.sex, row, 1)
        self.grid.addWidget(self.birth_label, row + 1, 0, right)
        self.grid.addWidget(self.birth_date, row + 1, 1)
        self.add_field("hukou_region", self.hukou_region, self._check_region)
        self.grid.addWidget(self.region_name, self.grid.rowCount(), 1, 1, 2)
        self.add_field("hukou_type", self.hukou_type)
        self.add_field("phone", self.phone, contact_phone)
        self.enrol_heading = QLabel()
        self.enrol_heading.setObjectName("enrol_heading")
        self.grid.addWidget(self.enrol_heading, self.grid.rowCount(), 0, 1, 3)
        self.employers: list[EmployerInfo] | None = None
        self._schemes_touched = False
        self.employer = line_edit(60, 36)
        self.employer.setObjectName("enrol_employer")
        self._employer_model = QStringListModel(self)
        completer = QCompleter(self._employer_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.employer.setCompleter(completer)
        self.employer_name = QLabel()
        self.employer_name.setObjectName("enrol_employer_name")
        self.start = line_edit(7, 10)
        self.start.setText(str(Month.of(ledger.today())))
        self.scheme_boxes: dict[str, QCheckBox] = {}
        box_row = QWidget()
        box_row.setObjectName("enrol_schemes")
        for sid in employee_schemes():
            box = QCheckBox()
            box.toggled.connect(self._schemes_toggled)
            self.scheme_boxes[sid] = box
        self._box_grid = QGridLayout(box_row)
        self._box_grid.setContentsMargins(0, 0, 0, 0)
        self.add_field("employer", self.employer, self._check_employer)
        self.grid.addWidget(self.employer_name, self.grid.rowCount(), 1, 1, 2)
        self.add_field("start", self.start, self._check_start)
        row = self.grid.rowCount()  # the schemes: a row of boxes, not a field with a text to check
        self.schemes_label = QLabel()
        self.schemes_label.setBuddy(next(iter(self.scheme_boxes.values())))
        self.schemes_error = error_label()
        self.schemes_error.setObjectName("error_schemes")
        self.grid.addWidget(self.schemes_label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(box_row, row, 1, 1, 2)  # the scheme names need the width of both columns
        self.grid.addWidget(self.schemes_error, row + 1, 1, 1, 2)
        self.id_number.textChanged.connect(self._derive)
        self.hukou_region.textChanged.connect(self._show_region_name)
        self.employer.textChanged.connect(lambda *_: self._employer_changed())
        self.start.textChanged.connect(lambda *_: self._offer_schemes())
        self.retranslate()
        self._offer_schemes()
        query(self, ledger.employers.list, self.runner).success(self._fill_employers).run()
        self.id_number.setFocus()

    def _fill_employers(self, result: Any) -> None:
        """Offer the registered employers by name and credit code (not the flexible workers' payer)."""
        self.employers = [e for e in result if e.uscc != FLEXIBLE_USCC]
        self._employer_model.setStringList([employer_entry(e) for e in self.employers])
        self._employer_changed()

    def chosen_employer(self) -> EmployerInfo | None:
        """The registered employer the typed text names, if any."""
        return find_employer(self.employer.text(), self.employers or [])

    def _check_employer(self, text: str) -> None:
        """The employer is optional; when typed it must be a registered one."""
        if text.strip() and self.employers is not None and find_employer(text, self.employers) is None:
            raise InvalidInput("employer.unknown", "employer", value=text.strip())

    def _check_start(self, text: str) -> None:
        """The first month insured, as YYYY-MM (needed with an employer)."""
        if text.strip():
            Month.parse(text, "start")
        elif self.employer.text().strip():
            raise InvalidInput("enrol.incomplete", "start")

    def _employer_changed(self) -> None:
        """Name the employer chosen and offer the schemes it can be enrolled in."""
        found = self.chosen_employer()
        self.employer_name.setText(found.name if found is not None else "")
        self._offer_schemes()

    def _schemes_toggled(self, _checked: bool) -> None:
        """A box the clerk ticks or clears stays as set."""
        if not self._offering:
            self._schemes_touched = True
            self.schemes_error.clear()

    def _offer_schemes(self) -> None:
        """Enable the schemes collected in the start month (injury only with an employer whose risk class
        is set); tick them all unless the clerk has chosen."""
        try:
            start: Month | None = Month.parse(self.start.text(), "start")
        except ShebaoError:
            start = None
        employer = self.chosen_employer()
        self._offering = True
        try:
            for sid, box in self.scheme_boxes.items():
                collected = start is None or schemes()[sid].collected_in(start)
                usable = collected and not (sid == "injury" and employer is not None
                                            and employer.risk_class is None)
                box.setEnabled(usable)
                box.setToolTip("" if usable else self._why_not(sid, collected))
                if not usable:
                    box.setChecked(False)
                elif not self._schemes_touched:
                    box.setChecked(True)
        finally:
            self._offering = False

    def _why_not(self, sid: str, collected: bool) -> str:
        """Why a scheme cannot be chosen."""
        if not collected:
            return schemes()[sid].note_zh if i18n.lang() == "zh" else schemes()[sid].note_en
        return short_message(InvalidInput("employer.no_risk_class", "schemes"))

    def chosen_schemes(self) -> tuple[str, ...]:
        """The schemes ticked, in the scheme list's order."""
        return tuple(sid for sid, box in self.scheme_boxes.items() if box.isChecked() and box.isEnabled())

    def validate_all(self) -> bool:
        """Every field, and with an employer at least one scheme."""
        ok = super().validate_all()
        if self.employer.text().strip() and not self.chosen_schemes():
            self.schemes_error.setText(short_message(InvalidInput("required", "schemes")))
            return False
        return ok

    def clear_errors(self) -> None:
        """Remove every error message, the schemes' too."""
        super().clear_errors()
        self.schemes_error.clear()

    def show_error(self, error: BaseException) -> None:
        """A refusal about the schemes is shown beside them, any other as every form shows it."""
        if getattr(error, "field", None) == "schemes":
            self.schemes_error.setText(short_message(error))
            return
        super().show_error(error)

    def _check_id(self, text: str) -> None:
        """Check an ID number as the service will."""
        parse_citizen_id(text, "id_number", today=self.ledger.today())

    def _check_region(self, text: str) -> None:
        """Check a hukou region code."""
        validate_region(text, "hukou_region")

    def _derive(self, text: str) -> None:
        """Fill sex and birth date from a valid ID number; suggest the hukou region."""
        try:
            cid = parse_citizen_id(text, "id_number", today=self.ledger.today())
        except ShebaoError:
            self.sex.setText("—")
            self.birth_date.setText("—")
            self._cid_sex = ""
            return
        self._cid_sex = cid.sex
        self._show_sex()
        self.birth_date.setText(cid.birth_date.isoformat())
        if not self.hukou_region.isModified() and not self.hukou_region.text():
            self.hukou_region.setText(cid.place_code)
            self.fields["hukou_region"].error.clear()

    def _show_sex(self) -> None:
        """Show the sex derived from the ID number in the interface language."""
        self.sex.setText({"M": self.tr("男"), "F": self.tr("女")}.get(self._cid_sex, "—"))

    def _show_region_name(self, text: str) -> None:
        """Name the region as its code is typed."""
        try:
            code = validate_region(text, "hukou_region")
        except ShebaoError:
            self.region_name.clear()
            return
        self.region_name.setText(name_of(code))

    def collect(self) -> CitizenInput:
        """The entered values."""
        employer = self.chosen_employer()
        typed = self.employer.text().strip()
        if not typed:
            return CitizenInput(self.id_number.text(), self.person_name.text(),
                                self.hukou_region.text(), str(self.hukou_type.currentData()),
                                self.phone.text() or None)
        return CitizenInput(self.id_number.text(), self.person_name.text(),
                            self.hukou_region.text(), str(self.hukou_type.currentData()),
                            self.phone.text() or None, employer.uscc if employer is not None else typed,
                            self.start.text(), self.chosen_schemes())

    def changed(self, data: Any, result: Any) -> Changes:
        """The person registered."""
        return Changes.of_people([result.key])

    def operation(self, data: Any) -> Callable[[], Any]:
        """Register the citizen."""
        return lambda: self.ledger.workers.register_citizen(
            data.id_number, data.name, data.hukou_region, data.hukou_type, data.phone,
            data.employer, data.start, data.schemes)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("登记参保人"))
        self.set_labels({"id_number": self.tr("身份证号码(&I)"), "name": self.tr("姓名(&N)"),
                         "hukou_region": self.tr("户籍地区划代码(&R)"), "hukou_type": self.tr("户籍性质(&T)"),
                         "phone": self.tr("联系电话(&P)"), "employer": self.tr("用人单位(&E)"),
                         "start": self.tr("参保起始月份(&M)")})
        self.schemes_label.setText(self.tr("参保险种(&K)"))
        self.enrol_heading.setText(self.tr("参保登记（选择用人单位后一并办理）"))
        self.employer.setPlaceholderText(self.tr("单位名称或统一社会信用代码"))
        self.start.setPlaceholderText(self.tr("如2026-10"))
        lang = i18n.lang()
        for sid, box in self.scheme_boxes.items():
            box.setText(schemes()[sid].name(lang))
        self._arrange_boxes(2 if lang == "zh" else 1)  # the English names are long: one a line
        self._offer_schemes()

    def _arrange_boxes(self, columns: int) -> None:
        """Lay the scheme boxes out in this many columns."""
        for box in self.scheme_boxes.values():
            self._box_grid.removeWidget(box)
        for i, box in enumerate(self.scheme_boxes.values()):
            self._box_grid.addWidget(box, i // columns, i % columns)
        self.sex_label.setText(self.tr("性别"))
        self.birth_label.setText(self.tr("出生日期"))
        self.hukou_type.setItemText(0, self.tr("城镇"))
        self.hukou_type.setItemText(1, self.tr("农村"))
        self.id_number.setPlaceholderText(self.tr("18位，可刷身份证"))
        self.hukou_region.setPlaceholderText(self.tr("6位数字"))
        self._show_sex()
