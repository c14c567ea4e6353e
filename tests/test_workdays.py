"""Working days by the State Council holiday calendar, with make-up days and office-added years."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.workdays import (
    DueDate,
    WorkCalendar,
    builtin_years,
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



# -- the 45 working days (three steps of 15) counted one by one, with the day before and after ------------

@pytest.mark.parametrize(("n", "due"), [(44, D(2024, 4, 8)), (45, D(2024, 4, 9)), (46, D(2024, 4, 10))])
def test_45_working_days_over_spring_festival_a_leap_day_and_qingming_2024(n: int, due: dt.date) -> None:
    # From Wednesday 31 January 2024 (not counted): Thu 1 Feb (1), Fri 2 (2), Sun 4 Feb worked (3),
    # Mon 5-Fri 9 (4-8), Sat 10-Sat 17 Spring Festival off, Sun 18 Feb worked (9), Mon 19-Fri 23 (10-14),
    # Mon 26-Thu 29 Feb (15-18; the leap day is 18), Fri 1 Mar (19), 4-8 Mar (20-24), 11-15 (25-29),
    # 18-22 (30-34), 25-29 (35-39), Mon 1-Wed 3 Apr (40-42), Thu 4-Sat 6 Apr Qingming off,
    # Sun 7 Apr worked (43), Mon 8 (44), Tue 9 (45), Wed 10 (46).
    cal = default_calendar()
    assert cal.add_workdays(D(2024, 1, 31), n) == DueDate(due, estimated=False)
    assert cal.workdays_between(D(2024, 1, 31), due) == n


def test_counting_over_the_2024_leap_day_and_holidays_day_by_day() -> None:
    cal = default_calendar()
    start = D(2024, 1, 31)
    # the same count as above, read back at the days around each boundary
    for day, count in [(D(2024, 2, 3), 2), (D(2024, 2, 4), 3), (D(2024, 2, 9), 8), (D(2024, 2, 10), 8),
                       (D(2024, 2, 17), 8), (D(2024, 2, 18), 9), (D(2024, 2, 28), 17), (D(2024, 2, 29), 18),
                       (D(2024, 3, 1), 19), (D(2024, 3, 2), 19), (D(2024, 4, 3), 42), (D(2024, 4, 6), 42),
                       (D(2024, 4, 7), 43)]:
        assert cal.workdays_between(start, day) == count, day
        assert cal.workdays_between(day, start) == -count, day
    assert cal.add_workdays(start, 18) == DueDate(D(2024, 2, 29), False)
    assert cal.add_workdays(start, 19) == DueDate(D(2024, 3, 1), False)
    assert cal.add_workdays(start, 9) == DueDate(D(2024, 2, 18), False)  # a Sunday worked


@pytest.mark.parametrize(("n", "due"), [(44, D(2025, 12, 31)), (45, D(2026, 1, 4)), (46, D(2026, 1, 5))])
def test_45_working_days_over_the_year_end_into_new_year_2026(n: int, due: dt.date) -> None:
    # From Thursday 30 October 2025 (not counted): Fri 31 Oct (1), 3-7 Nov (2-6), 10-14 (7-11),
    # 17-21 (12-16), 24-28 (17-21), 1-5 Dec (22-26), 8-12 (27-31), 15-19 (32-36), 22-26 (37-41),
    # Mon 29-Wed 31 Dec (42-44), Thu 1-Sat 3 Jan 2026 New Year off, Sun 4 Jan worked (45), Mon 5 (46).
    cal = default_calendar()
    assert cal.add_workdays(D(2025, 10, 30), n) == DueDate(due, estimated=False)
    assert cal.workdays_between(D(2025, 10, 30), due) == n
    assert cal.workdays_between(D(2025, 10, 30), D(2026, 1, 3)) == 44  # the holidays add nothing


@pytest.mark.parametrize(("n", "due"), [(44, D(2025, 11, 20)), (45, D(2025, 11, 21)), (46, D(2025, 11, 24))])
def test_45_working_days_over_national_day_2025(n: int, due: dt.date) -> None:
    # From Monday 15 September 2025 (not counted): 16-19 Sep (1-4), 22-26 (5-9), Sun 28 Sep worked (10),
    # Mon 29 (11), Tue 30 (12), Wed 1-Wed 8 Oct off, Thu 9 (13), Fri 10 (14), Sat 11 Oct worked (15),
    # 13-17 (16-20), 20-24 (21-25), 27-31 (26-30), 3-7 Nov (31-35), 10-14 (36-40), 17-21 (41-45: Thu 20 is
    # 44, Fri 21 is 45), Mon 24 Nov (46).
    cal = default_calendar()
    assert cal.add_workdays(D(2025, 9, 15), n) == DueDate(due, estimated=False)
    assert cal.workdays_between(D(2025, 9, 15), due) == n


def test_the_last_known_year_end_makes_an_estimate() -> None:
    cal = WorkCalendar()
    # 2026 is built in, 2027 is not: Wed 30 Dec 2026 + 1 = Thu 31 Dec (known), + 2 = Fri 1 Jan 2027,
    # counted Monday-Friday and marked as an estimate
    assert cal.add_workdays(D(2026, 12, 30), 1) == DueDate(D(2026, 12, 31), estimated=False)
    assert cal.add_workdays(D(2026, 12, 30), 2) == DueDate(D(2027, 1, 1), estimated=True)
    assert cal.add_workdays(D(2026, 12, 31), 0) == DueDate(D(2026, 12, 31), estimated=False)
    assert cal.add_workdays(D(2027, 1, 1), 0) == DueDate(D(2027, 1, 1), estimated=True)
    # Fri 8 Jan 2027 is a working day, Sat 9 and Sun 10 are not, Mon 11 is (weekday 4, 5, 6, 0)
    assert [cal.is_workday(D(2027, 1, d)) for d in (8, 9, 10, 11)] == [True, False, False, True]
    assert cal.add_workdays(D(2027, 1, 7), 2) == DueDate(D(2027, 1, 11), estimated=True)


def test_the_builtin_years() -> None:
    # chinese_calendar 1.11 covers 2004 to 2026
    assert builtin_years() == frozenset(range(2004, 2027))
    cal = WorkCalendar()
    assert [cal.known(y) for y in (2003, 2004, 2026, 2027)] == [False, True, True, False]


def test_known_between_in_either_order() -> None:
    cal = WorkCalendar([(D(2028, 1, 3), "holiday")])  # 2028 known by a row, 2027 not
    assert cal.known(2028) and not cal.known(2027)
    assert cal.known_between(D(2026, 1, 1), D(2026, 12, 31))
    assert cal.known_between(D(2026, 12, 31), D(2026, 1, 1))
    assert cal.known_between(D(2028, 5, 1), D(2028, 1, 1))
    assert not cal.known_between(D(2026, 12, 31), D(2027, 1, 1))
    assert not cal.known_between(D(2027, 1, 1), D(2026, 12, 31))
    assert not cal.known_between(D(2026, 6, 1), D(2028, 6, 1))  # 2027 in between is not known
    assert not cal.known_between(D(2028, 6, 1), D(2026, 6, 1))
    assert cal.known_between(D(2025, 6, 1), D(2026, 6, 1))
    # a row year after a gap: counting from 2026 into 2028 is an estimate, inside 2028 it is not
    assert cal.add_workdays(D(2028, 1, 3), 1) == DueDate(D(2028, 1, 4), estimated=False)


def test_datetimes_count_as_their_day() -> None:
    cal = default_calendar()
    morning = dt.datetime(2024, 10, 8, 9, 30)  # a working day after National Day
    assert cal.is_workday(morning) and not cal.is_workday(dt.datetime(2024, 10, 7, 9, 30))
    due = cal.add_workdays(dt.datetime(2024, 9, 20, 23, 59), 15)
    assert due == DueDate(D(2024, 10, 16), estimated=False) and type(due.date) is dt.date
    zero = cal.add_workdays(dt.datetime(2024, 9, 20, 23, 59), 0)
    assert zero == DueDate(D(2024, 9, 20), estimated=False) and type(zero.date) is dt.date
    assert cal.workdays_between(dt.datetime(2024, 9, 20, 8, 0), dt.datetime(2024, 10, 16, 8, 0)) == 15
    assert cal.workdays_between(dt.datetime(2024, 10, 16, 8, 0), D(2024, 10, 16)) == 0
    rows = WorkCalendar([(dt.datetime(2027, 1, 4, 0, 0), "holiday")])
    assert not rows.is_workday(D(2027, 1, 4)) and rows.known(2027)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^n must not be negative$"):
        default_calendar().add_workdays(D(2024, 10, 3), -1)
    assert default_calendar().add_workdays(D(2024, 10, 3), 1) == DueDate(D(2024, 10, 8), False)


def test_rows_laid_over_rows_and_the_later_one_wins() -> None:
    base = WorkCalendar([(D(2027, 1, 4), "holiday"), (D(2027, 1, 9), "workday")])
    assert not base.is_workday(D(2027, 1, 4)) and base.is_workday(D(2027, 1, 9))  # Mon off, Sat worked
    more = base.with_rows([(D(2027, 1, 4), "workday")])
    assert more.is_workday(D(2027, 1, 4)) and more.is_workday(D(2027, 1, 9))  # the earlier rows kept
    assert not base.is_workday(D(2027, 1, 4))  # the first calendar unchanged
    same_list = WorkCalendar([(D(2027, 1, 5), "holiday"), (D(2027, 1, 5), "workday")])
    assert same_list.is_workday(D(2027, 1, 5))
    assert not WorkCalendar([(D(2027, 1, 5), "workday"), (D(2027, 1, 5), "holiday")]).is_workday(D(2027, 1, 5))
    with pytest.raises(ValueError, match=r"^kind 'rest' is not one of holiday, workday$"):
        WorkCalendar([(D(2027, 1, 5), "rest")])
    with pytest.raises(ValueError, match=r"^kind 'rest' is not one of holiday, workday$"):
        base.with_rows([(D(2027, 1, 5), "rest")])


def test_shipped_rows_are_none_yet() -> None:
    # resources/workdays.csv has its header and comments only: the 2027 notice was not at hand
    assert shipped_rows() == []


def test_csv_rows_line_numbers_spaces_and_blanks(tmp_path: Path) -> None:
    text = [
        "# comment one\n",              # line 1
        "date,kind,name,source\n",      # line 2
        "# comment two\n",              # line 3
        " 2027-01-01 , holiday ,元旦,n\n",  # line 4: spaces around the values
        ",,,\n",                        # line 5: blank row, skipped
        "2027-02-20,workday,春节,n\n",  # line 6
    ]
    assert parse_rows(text) == [(D(2027, 1, 1), "holiday"), (D(2027, 2, 20), "workday")]
    assert parse_rows([]) == []
    assert parse_rows(["# only a comment\n"]) == []
    assert parse_rows(["date,kind,name,source\n"]) == []
    bad_date = [*text[:4], "2027-13-01,holiday,x,y\n", *text[4:]]  # the bad row is line 5 of 7
    with pytest.raises(ValueError, match=r"^workdays\.csv line 5: '2027-13-01' is not a date YYYY-MM-DD$"):
        parse_rows(bad_date)
    with pytest.raises(ValueError, match=r"^mine\.csv line 5: '2027-13-01' is not a date YYYY-MM-DD$"):
        parse_rows(bad_date, "mine.csv")
    no_kind = [*text[:4], "2027-03-01,,x,y\n", *text[4:]]  # a date without its kind
    with pytest.raises(ValueError, match=r"^workdays\.csv line 5: kind '' is not one of holiday, workday$"):
        parse_rows(no_kind)
    no_date = [*text[:4], ",holiday,x,y\n", *text[4:]]  # a kind without its date
    with pytest.raises(ValueError, match=r"^workdays\.csv line 5: '' is not a date YYYY-MM-DD$"):
        parse_rows(no_date)
    short = [*text[:4], "2027-03-01\n"]  # no kind column at all
    with pytest.raises(ValueError, match=r"^workdays\.csv line 5: kind '' is not one of holiday, workday$"):
        parse_rows(short)
    last_bad = [*text, "2027-03-01,off,x,y\n"]  # line 7, the last
    with pytest.raises(ValueError, match=r"^workdays\.csv line 7: kind 'off' is not one of holiday, workday$"):
        parse_rows(last_bad)
    path = tmp_path / "office.csv"
    path.write_text("".join(bad_date), encoding="utf-8")
    with pytest.raises(ValueError, match=r"^office\.csv line 5: '2027-13-01' is not a date YYYY-MM-DD$"):
        read_rows(path)
    good = tmp_path / "good.csv"
    good.write_bytes("date,kind,name,source\r\n2027-10-09,workday,国庆节,通知\r\n".encode())
    assert read_rows(good) == [(D(2027, 10, 9), "workday")]


def test_a_file_is_read_as_written_whatever_the_locale(tmp_path: Path) -> None:
    # a line break inside a quoted value stays as written (\r\n), as the csv module reads it
    path = tmp_path / "office.csv"
    path.write_bytes(b'date,kind,name,source\r\n"2027-01\r\n-01",holiday,x,y\r\n')
    with pytest.raises(ValueError, match=r"^office\.csv line 3: '2027-01\\r\\n-01' is not a date YYYY-MM-DD$"):
        read_rows(path)
    # UTF-8 even where the machine's own encoding is not (a Chinese Windows: GBK; here the C locale)
    chinese = tmp_path / "chinese.csv"
    chinese.write_text("date,kind,name,source\n2027-10-09,workday,国庆节调休,国办发明电〔2026〕7号\n",
                       encoding="utf-8")
    package_root = Path(__import__("desktop").__file__).resolve().parents[1]
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
           "PYTHONIOENCODING": "utf-8"}
    code = ("import locale, sys; from pathlib import Path; from desktop.core.workdays import read_rows; "
            "print(locale.getpreferredencoding(False), read_rows(Path(sys.argv[1])))")
    done = subprocess.run([sys.executable, "-c", code, str(chinese)], cwd=package_root, env=env,
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ANSI_X3.4-1968 [(datetime.date(2027, 10, 9), 'workday')]"
