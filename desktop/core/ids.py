"""Identifiers: resident identity numbers (GB 11643), unified social credit codes (GB 32100),
foreign passports and the social security numbers this office assigns to foreign nationals.

python-stdnum supplies the check-character arithmetic. Two of its rules are not used:
`cn.ric.validate` ties the place code to the birth year, but an ID number keeps the code of the
place where it was first issued, so real numbers are refused (510107198511113215: code 510107
dates from 1990); `cn.uscc.validate` refuses the authority prefixes A, N and Y that the
standard allows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc
from stdnum.iso7064 import mod_11_2 as _mod_11_2

from desktop.core import people
from desktop.core.errors import InvalidInput
from desktop.core.regions import ever_valid
from desktop.core.strict import is_digits

clean = people.clean  # upper-cased, without spaces and dashes (one definition: the search plans' too)

_USCC_ALPHABET = set("0123456789ABCDEFGHJKLMNPQRTUWXY")
_USCC_AUTHORITIES = set("123456789ANY")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class CitizenId:
    """What a valid resident identity number tells: the number, birth date, sex and place code."""

    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    place_code: str


def parse_citizen_id(text: object, field: str = "id_number", *, today: dt.date) -> CitizenId:
    """Validate an 18-character identity number; InvalidInput names the first problem found."""
    number = clean(text)
    if not number:
        raise InvalidInput("required", field)
    if len(number) != 18:
        raise InvalidInput("id.length", field, length=len(number))
    if not is_digits(number[:17]) or not (is_digits(number[17]) or number[17] == "X"):
        raise InvalidInput("id.format", field)
    if number[17] != _ric.calc_check_digit(number):  # the expected digit is not named: a swapped
        raise InvalidInput("id.checksum", field)   # digit is found by checking the card, not "fixed"
    raw_date = number[6:14]
    try:
        birth = dt.date(int(raw_date[:4]), int(raw_date[4:6]), int(raw_date[6:]))
    except ValueError:
        raise InvalidInput("id.birth_date", field, value=raw_date) from None
    if birth.year < 1880 or birth > today:
        raise InvalidInput("id.birth_future", field, value=birth.isoformat())
    if not ever_valid(number[:6]):
        raise InvalidInput("id.region", field, code=number[:6])
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return CitizenId(number, birth, sex, number[:6])


def uscc_check_char(code17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    return str(_uscc.calc_check_digit(code17 + "0"))


def validate_uscc(text: object, field: str = "uscc") -> str:
    """Validate a unified social credit code (any registration authority, incl. A, N and Y)."""
    code = clean(text)
    if not code:
        raise InvalidInput("required", field)
    if len(code) != 18:
        raise InvalidInput("uscc.length", field, length=len(code))
    if code[0] not in _USCC_AUTHORITIES:
        raise InvalidInput("uscc.authority", field, char=code[0])
    for char in code:
        if char not in _USCC_ALPHABET:
            raise InvalidInput("uscc.format", field, char=char)
    if not is_digits(code[2:8]):
        raise InvalidInput("uscc.region", field)
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidInput("uscc.checksum", field, expected=expected)
    return code


def validate_country(text: object, field: str = "nationality") -> str:
    """An ISO 3166 alpha-2 country code other than CN."""
    code = str(text).strip().upper()
    if not code:
        raise InvalidInput("required", field)
    if not _COUNTRY_RE.match(code):
        raise InvalidInput("country.format", field, value=code)
    if code == "CN":
        raise InvalidInput("country.china", field)
    return code


def validate_passport(text: object, field: str = "passport") -> str:
    """A passport number: 5 to 20 letters and digits."""
    number = clean(text)
    if not number:
        raise InvalidInput("required", field)
    if not _PASSPORT_RE.match(number):
        raise InvalidInput("passport.format", field, value=number)
    return number


def foreign_ssn(region: str, serial: int) -> str:
    """The social security number this office assigns a foreign national.

    Format (local to this application): 'F', the pooling region (6 digits), an 8-digit serial
    within the office, and an ISO 7064 MOD 11-2 check character over the 14 digits.
    """
    digits = f"{region}{serial:08d}"
    return "F" + digits + str(_mod_11_2.calc_check_digit(digits))


def is_foreign_ssn(text: str) -> bool:
    """Whether text has the form of a foreign national's social security number."""
    return len(text) == 16 and text[0] == "F" and is_digits(text[1:15])
