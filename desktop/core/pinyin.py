"""Pinyin of Chinese names, for searching and sorting them as a Chinese reader expects.

Searching a region by 南昌 / nanchang / ncs and listing countries in pinyin order (not by
character code) both read names through here. Pure functions of the text, cached.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8192)
def syllables(text: str) -> tuple[str, ...]:
    """The pinyin syllables of a text without tones, lower case (德国 -> ("de", "guo")); characters
    that are not Chinese are kept as they are, lower case."""
    from pypinyin import Style, lazy_pinyin

    return tuple(s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default") if s.strip())


def full(text: str) -> str:
    """The pinyin of a text as one word (南昌市 -> nanchangshi)."""
    return "".join(syllables(text))


def initials(text: str) -> str:
    """The first letter of each syllable (南昌市 -> ncs)."""
    return "".join(s[0] for s in syllables(text))


def sort_key(text: str) -> tuple[tuple[str, ...], str]:
    """A key that orders Chinese names by their pinyin, then by the characters (ties of sound)."""
    return syllables(text), text
