"""参保登记 with the registration: employer, start month and schemes in the same transaction as the
person; the counter's next entry (current employer, next unrecorded month); mobile numbers; the ID
check character named as wrong, not corrected."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2
from sqlalchemy import func, select
from test_cli import office, run

from desktop.core.errors import Conflict, InvalidInput, RefusedByRule
from desktop.core.ids import parse_citizen_id
from desktop.core.ledger import Ledger
from desktop.core.month import Month
from desktop.core.services.workers import check_phone
from desktop.core.store.models import Enrolment, Worker

__all__ = ["office"]

ZHANG = "510107198511113215"
LI = "11010519491231002X"


def _count(ledger: Ledger, model: type) -> int:
    with ledger.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_register_with_enrolment(ledger: Ledger) -> None:
    w = ledger.workers.register_citizen(ZHANG, "张三", "510107", "rural", "13812345678",
                                        employer=EMPLOYER, start="2026-09")
    e = ledger.workers.enrolment(w.key)
    assert e is not None
    assert (e.employer_uscc, e.employer_name, e.start, e.schemes) == (
        EMPLOYER, "南昌赣江机械制造有限公司", Month(2026, 9), ("pension", "medical", "unemployment", "injury"))
    proposal = ledger.contributions.next_entry(w.key)
    assert (proposal.employer, proposal.month) == (EMPLOYER, Month(2026, 9))


def test_the_chosen_schemes_and_no_injury_by_default_without_a_risk_class(ledger: Ledger) -> None:
    ledger.employers.register(EMPLOYER_2, "江西洪城物流有限公司", "360100")
    w = ledger.workers.register_citizen(ZHANG, "张三", "510107", "rural", employer=EMPLOYER_2,
                                        start="2026-10")
    assert ledger.workers.enrolment(w.key).schemes == ("pension", "medical", "unemployment")  # type: ignore[union-attr]
    f = ledger.workers.register_foreigner("DE", "C01X00T47", "Anna Schmidt", "F", "1990-04-01",
                                          employer=EMPLOYER, start="2026-11", schemes="medical, pension")
    assert ledger.workers.enrolment(f.key).schemes == ("medical", "pension")  # type: ignore[union-attr]


def test_without_enrolment_nothing_changes(ledger: Ledger) -> None:
    w = ledger.workers.register_citizen(ZHANG, "张三", "510107", "rural")
    assert ledger.workers.enrolment(w.key) is None
    assert _count(ledger, Enrolment) == 0
    proposal = ledger.contributions.next_entry(w.key)
    assert (proposal.employer, proposal.month) == (None, Month(2026, 10))


@pytest.mark.parametrize(("kwargs", "error", "key", "field"), [
    ({"employer": EMPLOYER_2, "start": "2026-09"}, InvalidInput, "employer.unknown", "employer"),
    ({"employer": EMPLOYER, "start": "2026-12"}, InvalidInput, "month.future", "start"),
    ({"employer": EMPLOYER}, InvalidInput, "enrol.incomplete", "start"),
    ({"start": "2026-09"}, InvalidInput, "enrol.incomplete", "employer"),
    ({"employer": EMPLOYER, "start": "2026-09", "schemes": "pension,resident_medical"},
     InvalidInput, "scheme.not_employee", "schemes"),
    ({"employer": EMPLOYER, "start": "2026-09", "schemes": "maternity"},
     RefusedByRule, "scheme.not_in_force", "schemes"),
    ({"employer": EMPLOYER, "start": "2001-10"}, InvalidInput, "contrib.before_birth", "start"),
])
def test_a_refused_enrolment_registers_nobody(ledger: Ledger, kwargs: dict[str, Any], error: type,
                                             key: str, field: str) -> None:
    with pytest.raises(error) as refused:
        ledger.workers.register_citizen(ZHANG, "张三", "510107", "rural", **kwargs)
    assert (refused.value.key, refused.value.field) == (key, field)
    assert _count(ledger, Worker) == 0 and _count(ledger, Enrolment) == 0


def test_a_refusal_inside_the_transaction_rolls_the_person_back(ledger: Ledger) -> None:
    ledger.employers.register(EMPLOYER_2, "江西洪城物流有限公司", "360100")  # no injury risk class
    with pytest.raises(RefusedByRule) as refused:
        ledger.workers.register_citizen(LI, "李四", "110105", "urban", employer=EMPLOYER_2,
                                        start="2026-09", schemes="pension,injury")
    assert (refused.value.key, refused.value.field) == ("employer.no_risk_class", "schemes")
    assert _count(ledger, Worker) == 0 and _count(ledger, Enrolment) == 0  # checked after the person was added


def test_next_entry_never_proposes_a_month_still_to_come(ledger: Ledger, person: str) -> None:
    # the test office's today is 2026-11-23: with October and November recorded, the proposal stays at
    # November (taken, which the dialog says at once), never December
    ledger.contributions.record(person, EMPLOYER, "2026-10", "5000")
    ledger.contributions.record(person, EMPLOYER, "2026-11", "5000")
    proposal = ledger.contributions.next_entry(person)
    assert (proposal.employer, proposal.month) == (EMPLOYER, Month(2026, 11))
    with pytest.raises(Conflict) as taken:
        proposal.check_month(EMPLOYER, proposal.month)
    assert taken.value.key == "entry.month_recorded"


def test_next_entry_follows_the_latest_month_not_the_first_employer(ledger: Ledger, person: str) -> None:
    ledger.employers.register(EMPLOYER_2, "A江西洪城物流有限公司", "360100", 1)
    ledger.contributions.record(person, EMPLOYER, "2026-06", "5000")
    ledger.contributions.record(person, EMPLOYER_2, "2026-07", "5000")
    ledger.contributions.record(person, EMPLOYER_2, "2026-08", "5000", arrears=True)
    proposal = ledger.contributions.next_entry(person)
    assert (proposal.employer, proposal.month) == (EMPLOYER_2, Month(2026, 9))
    with pytest.raises(Conflict) as taken:
        proposal.check_month(EMPLOYER_2, Month(2026, 7))
    assert (taken.value.key, taken.value.field) == ("entry.month_recorded", "month")
    assert taken.value.message("zh") == f"所属期：2026-07已在单位{EMPLOYER_2}记录，请选择未记录的月份"
    proposal.check_month(EMPLOYER, Month(2026, 7))  # another employer's month is free
    proposal.check_month(EMPLOYER_2, Month(2026, 8))  # a month in arrears may be paid
    with pytest.raises(Conflict) as taken:
        proposal.check_month(EMPLOYER_2, Month(2026, 8), arrears=True)
    assert (taken.value.key, taken.value.params["month"]) == ("entry.month_recorded", "2026-08")


def test_the_clamped_base_is_named(ledger: Ledger, person: str) -> None:
    low = ledger.contributions.record(person, EMPLOYER, "2026-10", "2000")
    assert (low.base, low.floor, low.clamped) == (3600, 3600, "floor")
    high = ledger.contributions.record(person, EMPLOYER, "2026-09", "20000", preview=True)
    assert (high.base, high.ceiling, high.clamped) == (18000, 18000, "ceiling")
    assert ledger.contributions.record(person, EMPLOYER, "2026-08", "5000", preview=True).clamped is None


@pytest.mark.parametrize("phone", ["13812345678", "199 1234 5678", "138-1234-5678", "+86 13812345678",
                                   "0791-86000000", "010-12345678", "+49 30 1234567"])
def test_phone_numbers_accepted(phone: str) -> None:
    assert check_phone(phone) == phone


@pytest.mark.parametrize(("phone", "key"), [
    ("1381234567", "phone.mobile"),       # 10 digits
    ("138123456789", "phone.mobile"),     # 12 digits
    ("12812345678", "phone.mobile"),      # second digit 2
    ("１３８１２３４５６７８", "phone.ascii"),  # full-width digits
    ("123456789", "phone.mobile"),
    ("86000000", "phone.format"),         # no area code
    ("abc", "phone.format"),
])
def test_phone_numbers_refused(ledger: Ledger, phone: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ledger.workers.register_citizen(ZHANG, "张三", "510107", "rural", phone)
    assert (refused.value.key, refused.value.field) == (key, "phone")
    assert refused.value.message("zh").startswith("联系电话：联系电话")


def test_the_mobile_message_names_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_phone("1381234567")
    assert (refused.value.key, refused.value.field) == ("phone.mobile", "phone")
    assert refused.value.message("zh") == ("联系电话：联系电话1381234567不是有效手机号码：应为11位数字，"
                                           "以1开头，第二位为3至9")


def test_the_id_check_character_is_said_to_be_wrong_not_corrected(ledger: Ledger) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_citizen_id("510107198511113214", today=ledger.today())
    assert refused.value.key == "id.checksum" and refused.value.params == {}
    assert refused.value.message("zh") == "身份证号码：身份证号码校验位不符，请核对号码"
    assert "5" not in refused.value.message("en").replace("510107", "")


def test_cli_register_with_enrolment(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "register", "--id-number", ZHANG,
                        "--name", "张三", "--hukou-region", "510107", "--hukou-type", "rural",
                        "--employer", EMPLOYER, "--start", "2026-10", "--schemes", "pension,medical")
    assert code == 0
    assert data["enrolment"] == {"employer": EMPLOYER, "employer_name": "赣江机械", "start": "2026-10",
                                 "schemes": ["pension", "medical"]}
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "show", ZHANG)
    assert data["enrolment"]["start"] == "2026-10"
    code, text, _ = run(capsys, "--db", office, "worker", "show", ZHANG)
    assert "赣江机械（" + EMPLOYER + "）  2026-10  职工基本养老保险、职工基本医疗保险" in text


def test_cli_register_without_enrolment_is_unchanged(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "register", "--id-number", ZHANG,
                        "--name", "张三", "--hukou-region", "510107", "--hukou-type", "rural")
    assert code == 0 and set(data) == {"worker"}


def test_cli_refused_enrolment_registers_nobody(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "register", "--id-number", ZHANG,
                        "--name", "张三", "--hukou-region", "510107", "--hukou-type", "rural",
                        "--employer", EMPLOYER, "--start", "2026-10", "--schemes", "pension,nursing")
    assert code == 2 and data["error"]["field"] == "schemes"
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "register", "--id-number", ZHANG,
                        "--name", "张三", "--hukou-region", "510107", "--hukou-type", "rural",
                        "--employer", EMPLOYER_2, "--start", "2026-10")
    assert code == 2 and data["error"]["field"] == "employer"
    code, data, _ = run(capsys, "--db", office, "--json", "worker", "find", "张三")
    assert data["workers"] == []


def test_a_month_at_the_enrolled_employer_is_recorded_in_the_enrolled_schemes(ledger: Ledger) -> None:
    ledger.employers.register(EMPLOYER_2, "江西洪城物流有限公司", "360100", 1)
    w = ledger.workers.register_citizen(ZHANG, "张三", "510107", "rural", employer=EMPLOYER,
                                        start="2026-09", schemes="pension,medical")
    enrolled = ledger.contributions.record(w.key, EMPLOYER, "2026-09", "6000")
    assert [ln.scheme for ln in enrolled.lines] == ["pension", "medical"]
    before = ledger.contributions.record(w.key, EMPLOYER, "2026-08", "6000", preview=True)
    elsewhere = ledger.contributions.record(w.key, EMPLOYER_2, "2026-09", "6000", preview=True)
    chosen = ledger.contributions.record(w.key, EMPLOYER, "2026-10", "6000", "pension", preview=True)
    every = ["pension", "medical", "unemployment", "injury"]
    assert [ln.scheme for ln in before.lines] == every  # before the enrolment starts
    assert [ln.scheme for ln in elsewhere.lines] == every
    assert [ln.scheme for ln in chosen.lines] == ["pension"]


def test_cli_records_the_enrolled_schemes(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", office, "worker", "register", "--id-number", ZHANG, "--name", "张三",
        "--hukou-region", "510107", "--hukou-type", "rural", "--employer", EMPLOYER, "--start", "2026-10",
        "--schemes", "pension,medical,unemployment")
    code, data, _ = run(capsys, "--db", office, "--json", "contrib", "record", "--worker", ZHANG,
                        "--employer", EMPLOYER, "--month", "2026-10", "--wage", "7000")
    assert code == 0 and [ln["scheme"] for ln in data["lines"]] == ["pension", "medical", "unemployment"]
