"""What a write reports it changed: recording a month names the person and the month's row."""

from __future__ import annotations

from conftest import EMPLOYER

from desktop.core.changes import NOTHING, Changes, MonthRow
from desktop.core.ledger import Ledger


def test_recording_a_month_reports_its_row(ledger: Ledger, person: str) -> None:
    before = ledger.change_mark()
    ledger.take_written()
    result = ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    _, keys = ledger.history.month_keys(person)
    assert result.changes == Changes(people=frozenset({person}),
                                     months=frozenset({MonthRow(person, 202610, keys[0][1])}))
    assert [r.row_key for r in result.changes.months_of(person)] == keys
    assert result.changes.only_months(person) and not result.changes.only_months("other")
    assert ledger.take_written() == [(before, ledger.change_mark())]
    assert ledger.take_written() == []


def test_a_preview_changes_nothing(ledger: Ledger, person: str) -> None:
    ledger.take_written()
    result = ledger.contributions.record(person, EMPLOYER, "2026-10", "8000", preview=True)
    assert result.changes == NOTHING and not result.changes
    assert ledger.take_written() == []


def test_a_correction_and_a_document_report_what_they_touched(ledger: Ledger, person: str) -> None:
    ledger.contributions.record(person, EMPLOYER, "2026-10", "8000")
    corrected = ledger.contributions.correct(person, EMPLOYER, "2026-10", "9000", "wrong wage")
    assert [r.month for r in corrected.changes.months] == [202610]
    issued = ledger.documents.issue("statement", person)
    assert issued.changes == Changes(people=frozenset({person}), documents=frozenset({issued.number}))
    assert not issued.changes.only_months(person)


def test_merge_joins_every_kind_of_change() -> None:
    a = Changes.of_months([MonthRow("A", 202601, 1)])
    b = Changes(employers=frozenset({"X"}), reference=frozenset({"wages"}))
    merged = a.merge(b)
    assert merged.people == {"A"} and merged.employers == {"X"} and merged.reference == {"wages"}
    assert not merged.only_months("A")  # an employer changed too
    assert a.merge(Changes.all()).everything and Changes.all().touches("anyone")
    assert NOTHING.merge(NOTHING) == NOTHING
