"""Register a Chinese citizen: the ID number gives sex and birth date as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from desktop.core.changes import Changes
from desktop.core.errors import InvalidInput, ShebaoError
from desktop.core.ids import parse_citizen_id
from desktop.core.ledger import Ledger
from desktop.core.regions import name_of, validate_region
from desktop.ui.layout import FormDialog, line_edit
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class CitizenInput:
    """What the clerk entered for a new citizen."""

    id_number: str
    name: str
    hukou_region: str
    hukou_type: str
    phone: str | None


def required(field: str) -> Callable[[str], None]:
    """A check that only refuses an empty value."""

    def check(text: str) -> None:
        """Refuse an empty value."""
        if not text.strip():
            raise InvalidInput("required", field)

    return check


def optional_phone(text: str) -> None:
    """A phone number is optional; when given it needs at least six digits."""
    digits = [c for c in text if c.isdigit()]
    if text.strip() and len(digits) < 6:
        raise InvalidInput("phone.format", "phone", value=text.strip())


class RegisterDialog(FormDialog):
    """Register an insured person who holds a resident identity card."""

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
        self.add_field("phone", self.phone, optional_phone)
        self.id_number.textChanged.connect(self._derive)
        self.hukou_region.textChanged.connect(self._show_region_name)
        self.retranslate()
        self.id_number.setFocus()

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
        return CitizenInput(self.id_number.text(), self.person_name.text(),
                            self.hukou_region.text(), str(self.hukou_type.currentData()),
                            self.phone.text() or None)

    def changed(self, data: Any, result: Any) -> Changes:
        """The person registered."""
        return Changes.of_people([result.key])

    def operation(self, data: Any) -> Callable[[], Any]:
        """Register the citizen."""
        return lambda: self.ledger.workers.register_citizen(
            data.id_number, data.name, data.hukou_region, data.hukou_type, data.phone)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("登记参保人"))
        self.set_labels({"id_number": self.tr("身份证号码(&I)"), "name": self.tr("姓名(&N)"),
                         "hukou_region": self.tr("户籍地区划代码(&R)"), "hukou_type": self.tr("户籍性质(&T)"),
                         "phone": self.tr("联系电话(&P)")})
        self.sex_label.setText(self.tr("性别"))
        self.birth_label.setText(self.tr("出生日期"))
        self.hukou_type.setItemText(0, self.tr("城镇"))
        self.hukou_type.setItemText(1, self.tr("农村"))
        self.id_number.setPlaceholderText(self.tr("18位，可刷身份证"))
        self.hukou_region.setPlaceholderText(self.tr("6位数字"))
        self._show_sex()
