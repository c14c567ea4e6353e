"""Identity numbers, credit codes and region codes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from desktop.core.errors import InvalidInput
from desktop.core.ids import parse_citizen_id, uscc_check_char, validate_uscc
from desktop.core.regions import name_of, validate_region

TODAY = dt.date(2026, 11, 23)


def test_real_number_with_a_later_place_code_is_accepted() -> None:
    # 510107 (Wuhou district) dates from 1990; the holder was born in 1985. stdnum refuses it.
    with pytest.raises(InvalidComponent, match="^One of the parts of the number are invalid or unknown"):
        ric.validate("510107198511113215")
    cid = parse_citizen_id("510107198511113215", today=TODAY)
    assert cid.birth_date == dt.date(1985, 11, 11)
    assert cid.sex == "M"
    assert cid.place_code == "510107"


def test_female_and_x_check_character() -> None:
    body = "11010519491231002"
    number = body + ric.calc_check_digit(body + "0")
    assert number.endswith("X")
    cid = parse_citizen_id(number.lower(), today=TODAY)
    assert cid.sex == "F" and cid.number == number


@pytest.mark.parametrize(
    ("number", "key"),
    [
        ("51010719851111321", "id.length"),
        ("5101071985111132151", "id.length"),
        ("51010719851111321A", "id.format"),
        ("510107198511113214", "id.checksum"),
        ("", "required"),
    ],
)
def test_bad_numbers_name_the_reason(number: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(number, today=TODAY)
    assert err.value.key == key
    assert err.value.field == "id_number"
    assert "身份证号码" in err.value.message("zh")
    assert "ID number" in err.value.message("en")


def _with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def test_impossible_date_unknown_region_future_birth() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(_with_check("51010719850230321"), today=TODAY)
    assert err.value.key == "id.birth_date"
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(_with_check("99999919850101321"), today=TODAY)
    assert err.value.key == "id.region"
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(_with_check("51010720300101321"), today=TODAY)
    assert err.value.key == "id.birth_future"


def test_wrong_check_character_says_the_number_is_wrong_not_what_to_change() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id("510107198511113214", today=TODAY)
    assert (err.value.key, err.value.params) == ("id.checksum", {})  # the expected character is not named:
    # a swapped digit is not "fixed" at the end
    assert err.value.message("zh") == "身份证号码：身份证号码校验位不符，请核对号码"
    assert err.value.message("en") == "ID number: the ID number's check character does not match: check the number"


regions = st.sampled_from(["110101", "510107", "360102", "440305", "650102", "360121"])
dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31))


@given(regions, dates, st.integers(0, 999))
def test_generated_numbers_round_trip(place: str, born: dt.date, seq: int) -> None:
    number = _with_check(f"{place}{born:%Y%m%d}{seq:03d}")
    cid = parse_citizen_id(number, today=TODAY)
    assert cid.birth_date == born
    assert cid.sex == ("M" if seq % 2 else "F")


@given(regions, dates, st.integers(0, 999), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_changed_character_is_refused(place: str, born: dt.date, seq: int, pos: int,
                                                 char: str) -> None:
    number = _with_check(f"{place}{born:%Y%m%d}{seq:03d}")
    if number[pos] == char or (char == "X" and pos != 17):
        return
    altered = number[:pos] + char + number[pos + 1:]
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(altered, today=TODAY)
    assert (err.value.key, err.value.field) == ("id.checksum", "id_number")  # ISO 7064 finds every single change


def test_uscc_every_authority_prefix() -> None:
    assert validate_uscc("91110000600037341L") == "91110000600037341L"
    for prefix in "123456789ANY":
        body = prefix + "1110000600037341"
        code = body + uscc_check_char(body)
        assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("91110000600037341M", "uscc.checksum"),
        ("B1110000600037341L", "uscc.authority"),
        ("9111000060003734IL", "uscc.format"),
        ("911100006000373", "uscc.length"),
        ("91AB0000600037341L", "uscc.region"),
    ],
)
def test_uscc_refusals(code: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validate_uscc(code)
    assert err.value.key == key and err.value.field == "uscc"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=16, max_size=16),
       st.sampled_from("123456789ANY"), st.integers(0, 17), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"))
def test_uscc_single_substitution_is_refused(tail: str, prefix: str, pos: int, char: str) -> None:
    body = (prefix + "1360100" + tail)[:17]
    code = body + uscc_check_char(body)
    assert validate_uscc(code) == code
    if code[pos] == char:
        return
    expected = ("uscc.authority" if pos == 0 and char not in "123456789ANY" else
                "uscc.region" if 2 <= pos <= 7 and not char.isdigit() else "uscc.checksum")
    with pytest.raises(InvalidInput) as err:
        validate_uscc(code[:pos] + char + code[pos + 1:])
    assert (err.value.key, err.value.field) == (expected, "uscc")


def test_regions() -> None:
    assert validate_region("360100") == "360100"
    assert "南昌" in name_of("360100")
    assert name_of("510107").endswith("武侯区")
    with pytest.raises(InvalidInput) as err:
        validate_region("999999")
    assert err.value.key == "region.unknown"
    with pytest.raises(InvalidInput) as err:
        validate_region("36010")
    assert err.value.key == "region.format"
    # a code that no longer exists is still known (ID numbers keep it)
    assert validate_region("110103") == "110103"
