"""Keeping personal data out of lists, logs and error reports: masking ID numbers and phones.

Lists show `510107********3215` (region code and last four); the full number is shown only when the
clerk opens the person. `scrub` masks every ID-number-, social-security-number- or phone-like run in
a text, and `PersonalDataFilter` does that to every log record before a handler writes it.
"""

from __future__ import annotations

import logging
import re

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15}|F\d{6}[0-9A-Z]{3,13})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def mask_id(number: str | None) -> str:
    """An ID, social security or passport number with all but its ends starred."""
    if not number:
        return ""
    text = str(number)
    if len(text) >= 12:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if len(text) > 4:
        return text[:2] + "*" * (len(text) - 4) + text[-2:]
    return "*" * len(text)


def mask_phone(phone: str | None) -> str:
    """A phone number with its middle starred."""
    if not phone:
        return ""
    text = str(phone)
    return text[:3] + "*" * max(len(text) - 7, 0) + text[-4:] if len(text) > 7 else "*" * len(text)


def scrub(text: str) -> str:
    """The text with every ID-number-like and mobile-phone-like run masked."""
    text = _ID_RE.sub(lambda m: mask_id(m.group(1)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(1)), text)


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks personal data in each record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its scrubbed form; never drops a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def protect_logging(logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of the logger (root by default) and on the logger itself."""
    target = logger or logging.getLogger()
    if not any(isinstance(f, PersonalDataFilter) for f in target.filters):
        target.addFilter(PersonalDataFilter())
    for handler in target.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())


def error_report(error: BaseException) -> str:
    """A one-line report of an unexpected error, safe to show or save: type and scrubbed message."""
    return scrub(f"{type(error).__name__}: {error}")[:2000]
