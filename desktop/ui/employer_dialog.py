"""Register an employer by its unified social credit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.core.changes import Changes
from desktop.core.ids import validate_uscc
from desktop.core.ledger import Ledger
from desktop.ui.layout import FormDialog, line_edit
from desktop.ui.pickers import RegionPicker, check_region
from desktop.ui.register_dialog import required
from desktop.ui.runner import Runner


@dataclass(frozen=True)
class EmployerInput:
    """What the clerk entered for a new employer."""

    uscc: str
    name: str
    region: str | None
    risk_class: int | None


def optional_region(text: str) -> None:
    """A region code is optional (the office's own by default); when given it must be known."""
    if text.strip():
        check_region(text, "region")


class EmployerDialog(FormDialog):
    """Register an employer (用人单位) with its injury risk class."""

    def __init__(self, ledger: Ledger, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.ledger = ledger
        self.uscc = line_edit(22, 20)
        self.employer_name = line_edit(200)
        self.region = RegionPicker()
        self.risk_class = QComboBox()
        self.risk_class.addItem("", None)
        for n in range(1, 9):
            self.risk_class.addItem(str(n), n)
        self.add_field("uscc", self.uscc, validate_uscc)
        self.add_field("name", self.employer_name, required("name"))
        self.add_field("region", self.region, optional_region, live=False)
        self.region.textEdited.connect(self._region_edited)
        self.region.picked.connect(lambda _code: self.fields["region"].error.clear())  # a known region
        self.add_field("risk_class", self.risk_class)
        self.retranslate()
        self.uscc.setFocus()
        self.region.prepare(runner)

    def _region_edited(self) -> None:
        """A code is checked as it is typed; a name once it is picked."""
        if self.region.typing_code():
            self.validate("region")
        else:
            self.fields["region"].error.clear()

    def collect(self) -> EmployerInput:
        """The entered values."""
        risk = self.risk_class.currentData()
        return EmployerInput(self.uscc.text(), self.employer_name.text(),
                             self.region.code() or None, int(risk) if risk else None)

    def changed(self, data: Any, result: Any) -> Changes:
        """The employer registered."""
        return Changes.of_employers([result.uscc])

    def operation(self, data: Any) -> Callable[[], Any]:
        """Register the employer."""
        return lambda: self.ledger.employers.register(data.uscc, data.name, data.region,
                                                      data.risk_class)

    def retranslate(self) -> None:
        """Set every visible string in the interface language."""
        super().retranslate()
        self.setWindowTitle(self.tr("登记用人单位"))
        self.set_labels({"uscc": self.tr("统一社会信用代码(&U)"), "name": self.tr("单位名称(&N)"),
                         "region": self.tr("所在地区(&R)"), "risk_class": self.tr("工伤风险类别(&K)")})
        self.risk_class.setItemText(0, self.tr("未设定"))
        self.region.setPlaceholderText(self.tr("默认为本机构统筹区"))
