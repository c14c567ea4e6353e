"""Working days by the State Council holiday calendar, with make-up days and office-added years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.workdays import (
    DueDate,
    WorkCalendar,
    default_calendar,
    parse_rows,
    read_rows,
    shipped_rows,
)

D = dt.date


def test_national_day_2024_holidays_and_make_up_days() -> None:
    cal = default_calendar()
    # Sunday 29 September and Saturday 12 October 2024 were worked (调休上班).
    assert D(2024, 9, 29).weekday() == 6 and cal.is_workday(D(2024, 9, 29))
    assert D(2024, 10, 12).weekday() == 5 and cal.is_workday(D(2024, 10, 12))
    for day in range(1, 8):
        assert not cal.is_workday(D(2024, 10, day))
    assert cal.is_workday(D(2024, 10, 8))
    # An ordinary weekend stays off.
    assert not cal.is_workday(D(2024, 10, 19))


def test_spring_festival_2025() -> None:
    cal = default_calendar()
    # 28 January to 4 February 2025 off; Sunday 26 January and Saturday 8 February worked.
    for offset in range(8):
        assert not cal.is_workday(D(2025, 1, 28) + dt.timedelta(days=offset))
    assert cal.is_workday(D(2025, 1, 26))
    assert cal.is_workday(D(2025, 2, 8))
    assert cal.is_workday(D(2025, 2, 5))


def test_fifteen_working_days_across_national_day_2024() -> None:
    cal = default_calendar()
    # From Friday 20 September 2024: 23-27 Sep (5), Sun 29 Sep (6), 30 Sep (7), 1-7 Oct off,
    # 8-11 Oct (11), Sat 12 Oct (12), 14 Oct (13), 15 Oct (14), 16 Oct (15).
    due = cal.add_workdays(D(2024, 9, 20), 15)
    assert due == DueDate(D(2024, 10, 16), estimated=False)
    assert cal.workdays_between(D(2024, 9, 20), D(2024, 10, 16)) == 15
    # Without the holiday calendar it would have been Friday 11 October.
    assert cal.workdays_between(D(2024, 9, 20), D(2024, 10, 11)) == 11


def test_three_steps_of_fifteen_days_over_spring_festival_2025() -> None:
    cal = default_calendar()
    # Monday 13 January 2025 + 15: 14-17 Jan (4), 20-24 (9), Sun 26 (10), 27 (11),
    # 28 Jan-4 Feb off, 5-7 Feb (14), Sat 8 Feb (15).
    first = cal.add_workdays(D(2025, 1, 13), 15)
    assert first.date == D(2025, 2, 8)
    assert cal.add_workdays(D(2025, 1, 13), 45).date == cal.add_workdays(
        cal.add_workdays(first.date, 15).date, 15).date


def test_zero_and_negative_counts() -> None:
    cal = default_calendar()
    assert cal.add_workdays(D(2024, 10, 3), 0) == DueDate(D(2024, 10, 3), False)
    with pytest.raises(ValueError, match="^n must not be negative$"):
        cal.add_workdays(D(2024, 10, 3), -1)
    assert cal.workdays_between(D(2024, 10, 3), D(2024, 10, 3)) == 0
    assert cal.workdays_between(D(2024, 10, 16), D(2024, 9, 20)) == -15
    # Holidays only in between: nothing worked after 1 Oct up to 7 Oct.
    assert cal.workdays_between(D(2024, 10, 1), D(2024, 10, 7)) == 0


def test_due_date_in_an_unknown_year_is_estimated() -> None:
    cal = WorkCalendar()
    assert cal.known(2026) and not cal.known(2027) and not cal.known(2003)
    # Monday 14 December 2026 + 15 working days, Monday-Friday in 2027: 15-18 Dec (4),
    # 21-25 (9), 28-31 (13), Fri 1 Jan 2027 (14), Mon 4 Jan (15).
    due = cal.add_workdays(D(2026, 12, 14), 15)
    assert due == DueDate(D(2027, 1, 4), estimated=True)
    # Entirely in 2026: not an estimate.
    assert not cal.add_workdays(D(2026, 11, 2), 15).estimated
    # Unknown years: Monday-Friday.
    assert cal.is_workday(D(2028, 3, 3)) and not cal.is_workday(D(2028, 3, 4))


def test_extra_rows_make_a_year_known_and_change_the_result() -> None:
    rows = [(D(2027, 1, 1), "holiday"), (D(2026, 12, 27), "workday")]
    cal = WorkCalendar(rows)
    assert cal.known(2027)
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2026, 12, 27))  # a Sunday made a working day
    # Same count as above: Sun 27 Dec adds one, Fri 1 Jan is off: 15-18 (4), 21-25 (9),
    # Sun 27 (10), 28-31 (14), Mon 4 Jan (15).
    assert cal.add_workdays(D(2026, 12, 14), 15) == DueDate(D(2027, 1, 4), estimated=False)
    assert cal.add_workdays(D(2026, 12, 14), 14) == DueDate(D(2026, 12, 31), estimated=False)
    more = cal.with_rows([(D(2027, 1, 4), "holiday")])
    assert more.add_workdays(D(2026, 12, 14), 15).date == D(2027, 1, 5)
    assert WorkCalendar().add_workdays(D(2026, 12, 14), 14).date == D(2027, 1, 1)


def test_row_overrides_the_builtin_calendar() -> None:
    cal = WorkCalendar([(D(2024, 10, 7), "workday")])
    assert cal.is_workday(D(2024, 10, 7))
    assert not WorkCalendar().is_workday(D(2024, 10, 7))
    with pytest.raises(ValueError, match="^kind 'rest' is not one of holiday, workday$"):
        WorkCalendar([(D(2024, 10, 7), "rest")])


def test_csv_rows(tmp_path: Path) -> None:
    assert all(kind in ("holiday", "workday") for _, kind in shipped_rows())
    text = [
        "# a comment\n",
        "date,kind,name,source\n",
        "2027-01-01,holiday,元旦,notice\n",
        "2027-02-20,workday,春节,notice\n",
    ]
    assert parse_rows(text) == [(D(2027, 1, 1), "holiday"), (D(2027, 2, 20), "workday")]
    with pytest.raises(ValueError, match="^workdays.csv line 4: '2027-02-30' is not a date YYYY-MM-DD$"):
        parse_rows([*text[:3], "2027-02-30,holiday,x,y\n"])
    with pytest.raises(ValueError, match="^workdays.csv line 3: kind 'off' is not one of holiday, workday$"):
        parse_rows([*text[:2], "2027-02-03,off,x,y\n"])
    path = tmp_path / "workdays.csv"
    path.write_text("".join(text), encoding="utf-8")
    assert read_rows(path)[0] == (D(2027, 1, 1), "holiday")
    assert read_rows(tmp_path / "absent.csv") == []


@settings(max_examples=examples(60))
@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 9, 30)), st.integers(1, 60))
def test_add_and_count_agree(start: dt.date, n: int) -> None:
    cal = default_calendar()
    due = cal.add_workdays(start, n)
    assert cal.is_workday(due.date)
    assert due.date > start
    assert cal.workdays_between(start, due.date) == n
    assert not due.estimated
    assert cal.workdays_between(start, due.date - dt.timedelta(days=1)) == n - 1
