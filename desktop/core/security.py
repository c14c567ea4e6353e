"""Accounts' building blocks: roles and what each may do, password hashing and password rules.

Passwords are hashed with scrypt (`hashlib.scrypt`, memory-hard): N = 2**15, r = 8, p = 3, a random
16-byte salt and a 32-byte key, i.e. 32 MiB of memory and about 0.3 s per attempt on an office PC.
That is one of OWASP's equivalent scrypt settings (N=2**17,r=8,p=1 / 2**16,8,2 / 2**15,8,3 ...),
chosen for its smaller memory at the same work. The parameters are stored with each hash
(`scrypt$15$8$3$salt$key`), so they can be raised later: a hash made with weaker ones is replaced at
the account's next sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import socket
from dataclasses import dataclass

from desktop.core.csvsafe import refuse_formula
from desktop.core.errors import InvalidInput

ROLES = ("clerk", "supervisor", "admin")
# Who may do what (checked in the core services, not only by hiding buttons):
COUNTER = frozenset({"clerk", "supervisor"})  # register, record, prepare, file requests
SUPERVISE = frozenset({"supervisor"})  # approve; void, correct, issue certificates of coverage
ADMIN = frozenset({"admin"})  # accounts, office identity, reference data, backups
AUDIT = frozenset({"supervisor", "admin"})  # read and verify the audit trail
ANY = frozenset(ROLES)  # read: any signed-in account

MAX_FAILURES = 5  # consecutive wrong passwords before the account is locked
LOCK_MINUTES = 15  # how long a lock lasts (an administrator can unlock sooner)
MIN_LENGTH = 8
_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,60}$")
MIN_SCORE = 3  # zxcvbn's score (0-4) a password needs: 3 is "safely unguessable" (about 10**8 guesses)
# zxcvbn's time grows with the length, and it refuses (ValueError) more than 72 characters (its
# max_length): only the first 72 are estimated; a password that long is long enough anyway.
_MAX_ESTIMATED = 72
# Common passwords of Chinese users that zxcvbn's English-language lists do not hold (pinyin, numbers
# said like words: 5201314 "我爱你一生一世"); zxcvbn covers the 30,000 most common others.
_COMMON = frozenset({
    "woaini", "woaini1314", "woaini520", "5201314", "1314520", "iloveyou1314", "shebao", "shebao123",
    "zhongguo", "aini1314", "wodemima", "mima1234", "mima123456", "qq123456", "a5201314",
})


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's parameters: N = 2**log2_n, block size r, parallelism p."""

    log2_n: int
    r: int
    p: int

    def memory(self) -> int:
        """Bytes of memory one hash needs (OpenSSL: 128*r*(N+2) for V plus 128*r*p for B)."""
        return int(128 * self.r * (2 ** self.log2_n + 2) + 128 * self.r * self.p)


SCRYPT = ScryptCost(15, 8, 3)
_SALT = 16
_KEY = 32


@dataclass(frozen=True)
class Actor:
    """The signed-in account a ledger acts for."""

    id: int
    name: str
    role: str
    must_change: bool = False


def _scrypt(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2 ** cost.log2_n, r=cost.r,
                          p=cost.p, dklen=_KEY, maxmem=cost.memory() + (1 << 20))


def hash_password(password: str, cost: ScryptCost | None = None) -> str:
    """The stored form of a password: scrypt$log2n$r$p$salt$key (base64)."""
    c = cost or SCRYPT
    salt = os.urandom(_SALT)
    key = _scrypt(password, salt, c)
    b64 = base64.b64encode
    return f"scrypt${c.log2_n}${c.r}${c.p}${b64(salt).decode()}${b64(key).decode()}"


def _parse(stored: str) -> tuple[ScryptCost, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        cost = ScryptCost(int(parts[1]), int(parts[2]), int(parts[3]))
        return cost, base64.b64decode(parts[4]), base64.b64decode(parts[5])
    except ValueError:
        return None


def verify_password(password: str, stored: str) -> bool:
    """Whether the password matches the stored hash (compared in constant time)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    cost, salt, key = parsed
    return hmac.compare_digest(_scrypt(password, salt, cost), key)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash was made with weaker parameters than the current ones."""
    parsed = _parse(stored)
    if parsed is None:
        return True
    cost = parsed[0]
    return (cost.log2_n, cost.r, cost.p) < (SCRYPT.log2_n, SCRYPT.r, SCRYPT.p)


def burn_time(password: str) -> None:
    """Spend the time of one verification (for unknown names, so timing does not tell names apart)."""
    _scrypt(password, b"\0" * _SALT, SCRYPT)


_DUMMY_SALT, _DUMMY_KEY = os.urandom(_SALT), os.urandom(_KEY)


def dummy_hash() -> str:
    """A stored hash at the current cost that no password matches (a random salt and key, made
    without hashing anything, so that even the first use in a process costs nothing extra): an
    unknown account's password is verified against it, so sign-in does the same work for every name."""
    c = SCRYPT
    b64 = base64.b64encode
    return f"scrypt${c.log2_n}${c.r}${c.p}${b64(_DUMMY_SALT).decode()}${b64(_DUMMY_KEY).decode()}"


def check_name(name: str) -> str:
    """An account name: 2 to 60 letters, digits, Chinese characters, '.', '_' or '-'."""
    text = name.strip()
    if not text:
        raise InvalidInput("required", "user")
    refuse_formula(text, "user")
    if not _NAME_RE.match(text):
        raise InvalidInput("user.name_format", "user")
    return text


def check_role(role: str) -> str:
    """One of clerk, supervisor, admin."""
    text = role.strip().lower()
    if text not in ROLES:
        raise InvalidInput("role.unknown", "role", value=role, known=", ".join(ROLES))
    return text


def check_password(password: str, name: str, office: tuple[str, ...] = ()) -> None:
    """Password rules: at least 8 characters, not containing the account's name or the office's name
    or code, and hard to guess as estimated by zxcvbn (a score of at least MIN_SCORE): no common
    password or a variation of one, no keyboard run, sequence, repeat or date. The refusal names
    what is weak."""
    if not password:
        raise InvalidInput("required", "password")
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password.short", "password", minimum=MIN_LENGTH)
    lowered = password.lower()
    if lowered == name.lower() or name.lower() in lowered and len(name) >= 4:
        raise InvalidInput("password.has_name", "password")
    named = [o.strip() for o in office if len(o.strip()) >= 4]
    if any(o.lower() in lowered for o in named):
        raise InvalidInput("password.has_office", "password")
    bare = re.sub(r"[^a-z0-9]", "", lowered)
    if len(set(password)) < 3 or lowered in _COMMON or bare in _COMMON or bare.rstrip("0123456789") in _COMMON:
        raise InvalidInput("password.common", "password")
    # imported here: it loads its word lists (about 0.1 s) when first used
    from zxcvbn import zxcvbn

    result = zxcvbn(password[:_MAX_ESTIMATED], user_inputs=[name, *named, *_pinyin(named)])
    if int(result["score"]) >= MIN_SCORE:
        return
    raise InvalidInput(_weakness(result["sequence"], name), "password")


def _pinyin(names: list[str]) -> list[str]:
    """The office's Chinese name as one pinyin word (南昌市社保局 -> nanchangshishebaoju)."""
    from pypinyin import lazy_pinyin

    return ["".join(lazy_pinyin(n)).lower() for n in names if re.search(r"[\u4e00-\u9fff]", n)]


def _weakness(sequence: list[dict[str, object]], name: str) -> str:
    """The reason key naming what makes a weak password weak: its first guessable part."""
    for match in sequence:
        pattern = match.get("pattern")
        if pattern == "dictionary":
            source = match.get("dictionary_name")
            if source == "user_inputs":
                word = str(match.get("matched_word", ""))
                return "password.has_name" if word == name.lower() else "password.has_office"
            if source == "passwords":
                return "password.common_like"
        elif pattern == "spatial":
            return "password.keyboard"
        elif pattern in ("sequence", "repeat"):
            return "password.sequence"
        elif pattern in ("date", "regex"):
            return "password.date"
    return "password.weak"


def counter_name() -> str:
    """Which counter (workstation) this program runs at: SHEBAO_COUNTER, else the host name."""
    return (os.environ.get("SHEBAO_COUNTER") or socket.gethostname() or "-")[:100]
