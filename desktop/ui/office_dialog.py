"""First run: give a new database its office identity (code, name, pooling region)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from desktop.core.errors import InvalidInput
from desktop.core.ledger import Ledger
from desktop.ui.layout import FormDialog, line_edit
from desktop.ui.pickers import RegionPicker, check_region
from desktop.ui.register_dialog import required
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class OfficeInput:
    """The new office's identity."""

    code: str
    name: str
    region: str


def check_code(text: str) -> None:
    """1 to 20 letters or digits."""
    if not re.fullmatch(r"[A-Za-z0-9]{1,20}", text.strip()):
        raise InvalidInput("office.code", "office")


class OfficeDialog(FormDialog):
    """Create the office on first run; a signing key pair is generated with it."""

    def __init__(self, ledger: Ledger, runner: Runner, location: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger = ledger
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.location = QLabel(location)
        self.location.setWordWrap(True)
        self.location.setStyleSheet("color: #555;")
        self.body.insertWidget(0, self.location)
        self.body.insertWidget(0, self.intro)
        self.code = line_edit(20, 14)
        self.office_name = line_edit(200)
        self.region = RegionPicker()
        self.add_field("office", self.code, check_code)
        self.add_field("office_name", self.office_name, required("office_name"))
        self.add_field("region", self.region, lambda text: check_region(text, "region"), live=False)
        self.region.textEdited.connect(self._region_edited)
        self.region.picked.connect(lambda _code: self.fields["region"].error.clear())  # a known region
        self.retranslate()
        self.code.setFocus()
        self.region.prepare(runner)

    def _region_edited(self) -> None:
        """A code is checked as it is typed; a name once it is picked."""
        if self.region.typing_code():
            self.validate("region")
        else:
            self.fields["region"].error.clear()

    def collect(self) -> OfficeInput:
        """The entered values."""
        return OfficeInput(self.code.text(), self.office_name.text(), self.region.code())

    def operation(self, data: Any) -> Callable[[], Any]:
        """Create the office."""
        return lambda: self.ledger.office.init(data.code, data.name, data.region)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("新建经办机构数据库"))
        self.intro.setText(self.tr("这是一个新的数据库。请填写本经办机构的代码、名称和统筹区，"
                                   "之后即可登记参保人和单位。"))
        self.set_labels({"office": self.tr("经办机构代码(&C)"), "office_name": self.tr("经办机构名称(&N)"),
                         "region": self.tr("统筹区(&R)")})
