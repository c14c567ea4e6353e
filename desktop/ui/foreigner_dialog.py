"""Register a foreign national: passport, nationality, sex and birth date entered by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.core.changes import Changes
from desktop.core.errors import InvalidInput
from desktop.core.ids import validate_country, validate_passport
from desktop.core.ledger import Ledger
from desktop.ui.layout import FormDialog, line_edit
from desktop.ui.pickers import DateField
from desktop.ui.register_dialog import contact_phone, required
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class ForeignerInput:
    """What the clerk entered for a foreign national."""

    nationality: str
    passport: str
    name: str
    sex: str
    birth_date: str
    phone: str | None


def check_birth_date(text: str) -> None:
    """A birth date as YYYY-MM-DD."""
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("date.format", "birth_date", value=text.strip()) from None


class ForeignerDialog(FormDialog):
    """Register an insured person of another nationality; a social security number is assigned."""

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger = ledger
        self.nationality = line_edit(2, 4)
        self.passport = line_edit(20, 20)
        self.person_name = line_edit(100)
        self.sex = QComboBox()
        self.sex.addItem("", "M")
        self.sex.addItem("", "F")
        self.birth_date = DateField(today=ledger.today)
        self.phone = line_edit(30, 16)
        self.add_field("nationality", self.nationality, validate_country)
        self.add_field("passport", self.passport, validate_passport)
        self.add_field("name", self.person_name, required("name"))
        self.add_field("sex", self.sex)
        self.add_field("birth_date", self.birth_date, check_birth_date)
        self.add_field("phone", self.phone, contact_phone)
        self.retranslate()
        self.nationality.setFocus()

    def collect(self) -> ForeignerInput:
        """The entered values."""
        return ForeignerInput(self.nationality.text(), self.passport.text(),
                              self.person_name.text(), str(self.sex.currentData()),
                              self.birth_date.text(), self.phone.text() or None)

    def changed(self, data: Any, result: Any) -> Changes:
        """The person registered."""
        return Changes.of_people([result.key])

    def operation(self, data: Any) -> Callable[[], Any]:
        """Register the foreign national."""
        return lambda: self.ledger.workers.register_foreigner(
            data.nationality, data.passport, data.name, data.sex, data.birth_date, data.phone)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("登记外籍人员"))
        self.set_labels({"nationality": self.tr("国籍(&C)"), "passport": self.tr("护照号码(&P)"),
                         "name": self.tr("姓名(&N)"), "sex": self.tr("性别(&X)"),
                         "birth_date": self.tr("出生日期(&B)"), "phone": self.tr("联系电话")})
        self.sex.setItemText(0, self.tr("男"))
        self.sex.setItemText(1, self.tr("女"))
        self.nationality.setPlaceholderText(self.tr("两位国家代码，如DE"))
        self.birth_date.setPlaceholderText(self.tr("如1990-05-17"))
