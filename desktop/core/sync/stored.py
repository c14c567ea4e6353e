"""How a change is kept in `sync_change`: small, and given back exactly as it travels.

A change travels as (origin, seq, lamport, tbl, key, base, data, at), all text but the numbers
(see `container.Change`); the signed segments that carry it are relayed unchanged, so whatever is
kept must give the same text back, byte for byte. The change log holds every change of every record
for the office's whole life, four for each person and month, so each stored byte counts:

- tbl is a small number (`TABLE_CODES`, append-only);
- key is left empty when it is the record key of the data (always, for changes made here): the
  data names the record. A key that differs is kept as it came;
- data is compressed with a dictionary of what every office's change data repeats (the arrays'
  shapes, scheme names, kinds, statuses), after a one-byte codec tag: 0 plain UTF-8, 1 raw deflate
  with the preset dictionary `DICT_1`, 2 Zstandard with the trained dictionary of `dictionary_2`
  (a frame without magic number, checksum or dictionary id: the tag says all that). New data is
  written with codec 2; codec 1 is read for data stored before it. A codec's dictionary never
  changes once released; a better one is a new tag. Data no codec makes smaller is kept plain;
- at is microseconds since 1970 when its text is exactly what that number formats to (always, for
  changes made here), else the text itself;
- khash, a 64-bit digest of table and key, is what the record's versions are looked up by (a short
  index in place of one repeating the key's text). Two keys may share a digest: every lookup
  compares the keys themselves;
- ref: a contribution line inserted in bulk (a declaration imported here, or another office's new
  lines applied here when the row gives their text back exactly) is, until it changes, exactly the
  data of its change: such a change keeps no data (an empty blob) and the line's row id instead, and its
  key and data are made from that row when read (`capture`), the same text byte for byte. Before the
  line changes (a correction here, a later version from another office) the change gets its data
  back (`capture` does it as the session flushes the line); a row a change refers to is never
  written in any other way (bulk UPDATE and DELETE statements are refused by the audit trail);
- run: such changes one after another (seq, seq + 1, ...) of rows one after another (ref, ref + 1,
  ...), with one Lamport time, one time and no base, are kept as one row that says how many
  (`run_row`, `runs_of`): a declaration of 10,000 people is a row, not 40,000. A run is found by
  its rows' ids (an index on table and ref), not by khash (which holds its first change's digest
  and finds nothing: lookups by khash leave rows with a ref aside).

Nothing here touches a database: `capture` stores and reads the rows.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import threading
import zlib
from collections.abc import Sequence
from typing import Any

from desktop.core.store import line_store
from desktop.core.sync import dictionary_2
from desktop.core.sync.tables import TABLES, decode_data, record_key

# A synced table's number in the change log: only ever appended to.
TABLE_CODES: dict[str, int] = {
    "employer": 1, "worker": 2, "contribution": 3, "resident_contribution": 4, "transfer_case": 5,
    "opening_entry": 6, "back_payment_document": 7, "carried_period": 8, "unemployment_claim": 9,
    "temporary_account": 10, "scheme_switch": 11, "pension_determination": 12,
}
TABLE_NAMES: dict[int, str] = {code: name for name, code in TABLE_CODES.items()}

# Codec 1's preset dictionary: values every office's change data repeats, the most frequent last
# (deflate reaches the end of its window for the fewest bits). Never edit: stored data needs it.
DICT_1 = (
    b'null,null,null,"CHN",null,"F","M","rural","urban",":00.000000","2026-01-01 00:00:00.",'
    b'"transfer","pending","settled","received","data","paper",true,false,'
    b'"arrears","exempt","flexible","lump_sum","maternity","unemployment","injury",0,0,'
    b'"back_payment","paid","202","medical","pension",,"regular","paid","202'
)
PLAIN, DEFLATE_1, ZSTD_2 = 0, 1, 2
_EPOCH = dt.datetime(1970, 1, 1)
_US = dt.timedelta(microseconds=1)
# The columns of a stored change, in the order `stored_row` gives them.
STORED_COLUMNS = ("origin", "seq", "lamport", "tbl", "khash", "key", "base", "data", "at_us", "at")
# ... and of changes kept by reference (`run_row`): since schema 0020 a run of them, one after
# another (seq, seq + 1, ...), of rows one after another (ref, ref + 1, ...), with one Lamport time
# and time and no base (a run of one may have one), is one row.
RUN_COLUMNS = (*STORED_COLUMNS, "ref", "run")
# The tables whose changes may be kept by reference to their row: the contribution lines, whose
# rows are found by id only through `line_store`.
BY_REFERENCE = frozenset({line_store.TABLE})


class DamagedChange(ValueError):
    """A stored change that cannot be read back (an unknown codec, table or damaged bytes)."""


def key_hash(table: str, key: str) -> int:
    """The 64-bit digest (a signed integer, as databases keep them) a record's versions are found by."""
    digest = hashlib.blake2b(f"{table}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class _Zstd(threading.local):
    """Codec 2's compressor and decompressor, made once in each thread that uses them (they keep
    state between calls, so a thread never shares its own)."""

    def __init__(self) -> None:
        import zstandard  # loaded when the first change is stored or read, not at start

        raw = base64.b64decode(dictionary_2.DICTIONARY)
        if hashlib.sha256(raw).hexdigest() != dictionary_2.SHA256:
            raise DamagedChange("the change log's codec-2 dictionary is damaged (dictionary_2.py)")
        params = zstandard.ZstdCompressionParameters.from_level(
            ZSTD_LEVEL, format=zstandard.FORMAT_ZSTD1_MAGICLESS, write_content_size=1, write_checksum=0,
            write_dict_id=0)
        self.pack = zstandard.ZstdCompressor(dict_data=zstandard.ZstdCompressionDict(raw),
                                             compression_params=params).compress
        self.unpacker = zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(raw),
                                                   format=zstandard.FORMAT_ZSTD1_MAGICLESS)
        self.error: type[Exception] = zstandard.ZstdError


ZSTD_LEVEL = 3  # measured: higher levels take 3 to 10 times as long for a byte or two less
_ZSTD: _Zstd | None = None


def _zstd() -> _Zstd:
    global _ZSTD
    if _ZSTD is None:
        _ZSTD = _Zstd()
    return _ZSTD


def pack_data(text: str) -> bytes:
    """Change data text as stored: a codec tag, then the compressed or plain UTF-8 text."""
    raw = text.encode()
    packed = _zstd().pack(raw)
    if len(packed) < len(raw):
        return bytes((ZSTD_2,)) + packed
    return bytes((PLAIN,)) + raw


def unpack_data(blob: bytes | memoryview) -> str:
    """The exact text `pack_data` was given (with any codec a release has stored)."""
    blob = bytes(blob)
    tag = blob[:1]
    try:
        if tag == bytes((ZSTD_2,)):
            codec = _zstd()
            frame = codec.unpacker.decompressobj()
            try:
                raw = frame.decompress(blob[1:])
            except codec.error as exc:
                raise DamagedChange(f"change data: {exc}") from None
            if not frame.eof or frame.unused_data:
                raise DamagedChange("change data: truncated or trailing bytes")
            return raw.decode()
        if tag == bytes((PLAIN,)):
            return blob[1:].decode()
        if tag == bytes((DEFLATE_1,)):
            unpacker = zlib.decompressobj(-15, DICT_1)
            raw = unpacker.decompress(blob[1:]) + unpacker.flush()
            if not unpacker.eof or unpacker.unused_data:
                raise DamagedChange("change data: truncated or trailing bytes")
            return raw.decode()
    except (zlib.error, UnicodeDecodeError, MemoryError) as exc:
        raise DamagedChange(f"change data: {exc}") from None
    raise DamagedChange(f"change data: unknown codec {tag.hex() or 'none'}")


@functools.lru_cache(maxsize=4096)  # the changes of one transaction share their time
def at_number(text: str) -> int | None:
    """A change's time as microseconds since 1970, when that number gives the same text back."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is not None:
        return None
    number = at_micros(moment)
    return number if at_text(number) == text else None


def at_micros(moment: dt.datetime) -> int:
    """A local time (no zone) as microseconds since 1970, as change times are kept."""
    return (moment - _EPOCH) // _US


@functools.lru_cache(maxsize=4096)
def at_text(number: int) -> str:
    """The text of a change's time kept as a number."""
    return (_EPOCH + number * _US).isoformat(sep=" ", timespec="microseconds")


# Where a table's key fields sit in its data array (the worker's key is worked out otherwise).
_KEY_AT: dict[str, tuple[int, ...]] = {
    name: tuple(spec.names.index(k) for k in spec.key_fields) for name, spec in TABLES.items() if name != "worker"}


def derived_key(table: str, data: str) -> str | None:
    """The record key the data names (None when the data is not a known table's record data)."""
    spec = TABLES.get(table)
    if spec is None:
        return None
    try:
        value = json.loads(data)
        at = _KEY_AT.get(table)
        if at is not None and type(value) is list and max(at) < len(value) <= len(spec.fields):
            return "|".join([str(value[i]) for i in at])  # record_key of decode_data, without the dict
        return record_key(spec, decode_data(spec, value))
    except (KeyError, TypeError, ValueError):
        return None


def stored_row(origin: str, seq: int, lamport: int, table: str, key: str, base: str | None, data: str,
               at: str, named: bool | None = None, khash: int | None = None) -> tuple[Any, ...]:
    """A change as a row of `sync_change` (columns `STORED_COLUMNS`).

    named: whether the key is the record key of the data, when the caller knows (it parsed the data
    already); otherwise it is worked out here. khash: `key_hash(table, key)`, when the caller has it.
    """
    code = TABLE_CODES.get(table)
    if code is None:
        raise DamagedChange(f"change of an unknown table {table!r}")
    same = derived_key(table, data) == key if named is None else named
    number = at_number(at)
    return (origin, seq, lamport, code, key_hash(table, key) if khash is None else khash, None if same else key,
            base, pack_data(data), number, None if number is not None else at)


def own_row(origin: str, seq: int, lamport: int, table: str, key: str, base: str | None, data: str,
            at_us: int) -> tuple[Any, ...]:
    """A change made here as a row of `sync_change`: its key is the record key of this very data
    (capture makes both from one record) and its time is `at_number` of the transaction's time, so
    neither is worked out again for each of a declaration's many rows."""
    return (origin, seq, lamport, TABLE_CODES[table], key_hash(table, key), None, base, pack_data(data), at_us, None)


def run_row(origin: str, seq: int, lamport: int, code: int, khash: int, base: str | None, ref: int,
            at_us: int, run: int = 1) -> tuple[Any, ...]:
    """`run` changes kept by reference (`RUN_COLUMNS`): seq, seq + 1, ... to the rows ref, ref + 1,
    ... that hold their data; no data, no key (the rows give both back); one time (a number, as
    `own_row`). khash: the `key_hash` of the first change when the run was made (a run cut by a
    line's change keeps it): nothing is found by it, a run is found by its rows."""
    return (origin, seq, lamport, code, khash, None, base, b"", at_us, None, ref, run)


def runs_of(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Changes kept by reference, as `run_row`s of one change each in seq order, joined where one
    continues the run before it (same origin, table, Lamport time, time and no base, the next seq
    and the next row)."""
    out: list[list[Any]] = []
    for r in rows:
        last = out[-1] if out else None
        if (last is not None and r[6] is None and last[6] is None and r[0] == last[0] and r[3] == last[3]
                and r[2] == last[2] and r[8] == last[8] and r[1] == last[1] + last[11]
                and r[10] == last[10] + last[11]):
            last[11] += int(r[11])
        else:
            out.append(list(r))
    return [tuple(r) for r in out]


def table_of(code: int) -> str:
    """The table a stored change's number stands for."""
    name = TABLE_NAMES.get(int(code))
    if name is None:
        raise DamagedChange(f"change of an unknown table number {code}")
    return name


def key_of(table: str, key: str | None, data: str) -> str:
    """A stored change's key: kept, or the record key of its data."""
    if key is not None:
        return key
    derived = derived_key(table, data)
    if derived is None:
        raise DamagedChange(f"{table} change without a key and with data that names no record")
    return derived


def travelling(row: Sequence[Any], referred: tuple[str, str] | None = None) -> tuple[Any, ...]:
    """A stored change (seq, lamport, tbl, key, base, data, at_us, at) as it travels:
    (seq, lamport, tbl, key, base, data, at). referred: the (key, data) a change kept by reference
    has from its row."""
    seq, lamport, code, key, base, blob, at_us, at = row
    table = table_of(code)
    if referred is not None:
        key, data = referred
    else:
        data = unpack_data(blob)
        key = key_of(table, key, data)
    return (int(seq), int(lamport), table, key, base, data, at_text(int(at_us)) if at_us is not None else str(at))
