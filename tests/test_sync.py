"""Offline sync between offices on real SQLite files: round trip, idempotence, every bad input,
out-of-order files, concurrent edits, the same person at two offices, duplicate months."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import examples
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, insert, select, text
from sync_support import EMP_BJ, EMP_NC, EMP_SH, TODAY, make_office, send, trust_all, uscc

from desktop.core import audit
from desktop.core.errors import Conflict, IntegrityFailure, InvalidInput, ShebaoError
from desktop.core.keys import office_decryption_keys, office_signer
from desktop.core.ledger import Ledger
from desktop.core.services.sync import Gap, ImportResult
from desktop.core.store.models import Contribution, Employer, Office, Worker
from desktop.core.sync import capture, container
from desktop.core.sync.capture import UncapturedChange
from desktop.core.sync.container import Segment
from desktop.core.sync.tables import TABLES

ID_1 = "510107198511113215"
ID_2 = "110105199003071239"
ID_3 = "360102197806150019"
COUNTED = ("worker", "employer", "contribution", "sync_change", "sync_segment", "sync_held",
           "sync_conflict", "sync_file", "sync_peer", "audit_entry")
CONTRIBUTION: Table = Contribution.__table__  # type: ignore[assignment]
OFFICES = {"A": ("NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司"),
           "B": ("BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ, "北京朝阳科技有限公司"),
           "C": ("SH01", "上海市浦东新区社保中心", "310115", EMP_SH, "上海浦东贸易有限公司")}


# -- offices --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def office_files(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three office databases that trust each other, made once and copied for every test."""
    folder = tmp_path_factory.mktemp("offices")
    ledgers = {k: make_office(sqlite_template, folder, *v) for k, v in OFFICES.items()}
    trust_all(*ledgers.values())
    for led in ledgers.values():
        led.close()
    return {k: folder / f"{v[0]}.db" for k, v in OFFICES.items()}


class Offices:
    """Opens copies of the three offices in a folder (the same office may be opened twice)."""

    def __init__(self, files: dict[str, Path], folder: Path) -> None:
        self.files, self.folder = files, folder
        self.opened: list[Ledger] = []

    def open(self, which: str, copy: str = "") -> Ledger:
        path = self.folder / f"{which}{copy}.db"
        shutil.copy(self.files[which], path)
        led = Ledger.open(str(path), clock=lambda: TODAY)
        self.opened.append(led)
        return led

    def close(self) -> None:
        for led in self.opened:
            led.close()


@pytest.fixture
def offices(office_files: dict[str, Path], tmp_path: Path) -> Iterator[Offices]:
    o = Offices(office_files, tmp_path)
    yield o
    o.close()


@pytest.fixture
def abc(offices: Offices) -> tuple[Ledger, Ledger, Ledger]:
    return offices.open("A"), offices.open("B"), offices.open("C")


def code(led: Ledger) -> str:
    return led.office.get().code


def employer(led: Ledger) -> str:
    return next(uscc(v[3]) for v in OFFICES.values() if v[0] == code(led))


def export(src: Ledger, dst: Ledger | str, folder: Path, name: str, full: bool = False) -> Path:
    path = folder / name
    src.sync.export(path, to=dst if isinstance(dst, str) else code(dst), full=full)
    return path


def register(led: Ledger, id_number: str, name: str = "张三", months: tuple[str, ...] = ()) -> str:
    key = led.workers.register_citizen(id_number, name, "510107", "rural").key
    for m in months:
        led.contributions.record(key, employer(led), m, "5000")
    return key


def state(led: Ledger) -> dict[str, Any]:
    """Row counts and sync clocks: what must not move when a file is refused."""
    with led.read() as s:
        out: dict[str, Any] = {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED}
        out["state"] = tuple(s.execute(text("SELECT lamport, own_seq, sealed_seq FROM sync_state")).one())
        out["peers"] = sorted(tuple(r) for r in s.execute(text("SELECT code, applied_seq, has_json FROM sync_peer")))
    return out


def workers(led: Ledger) -> list[tuple[Any, ...]]:
    """Every person as stored, without the local id."""
    cols = [c for c in Worker.__table__.columns if c.name != "id"]
    with led.read() as s:
        return [tuple(r) for r in s.execute(select(*cols).order_by(Worker.id_number, Worker.passport))]


def contributions(led: Ledger) -> list[tuple[Any, ...]]:
    c = Contribution
    with led.read() as s:
        return sorted(tuple(r) for r in s.execute(
            select(Worker.id_number, Employer.uscc, c.region, c.month, c.scheme, c.wage, c.base,
                   c.employer_amount, c.employee_amount, c.account_amount, c.kind, c.status, c.recorded_on)
            .join(Worker, Worker.id == c.worker_id).join(Employer, Employer.id == c.employer_id)))


def changes(led: Ledger) -> set[tuple[Any, ...]]:
    with led.read() as s:
        return {tuple(r[:7]) for r in capture.every_change(s)}


def count_id(led: Ledger, id_number: str) -> int:
    with led.read() as s:
        return int(s.execute(select(text("count(*)")).select_from(Worker).where(Worker.id_number == id_number))
                   .scalar_one())


def refused(led: Ledger, path: Path, key: str) -> ShebaoError:
    """Import a bad file: refused with exit code 4 and the given reason, nothing changed."""
    before = state(led)
    with pytest.raises(Conflict if key in ("sync.already_imported", "sync.nothing_new") else IntegrityFailure) as info:
        led.sync.import_file(path)
    err = info.value
    assert err.exit_code == 4
    assert err.key == key, err.message("en")
    assert err.message("en") and err.message("zh")
    assert state(led) == before
    return err


def office_row(led: Ledger) -> Office:
    with led.read() as s:
        return s.scalars(select(Office)).one()


def opened_segments(raw: bytes, reader: Ledger) -> tuple[dict[str, Any], list[Segment]]:
    """A file's manifest and segments, read with the receiving office's key."""
    opened = container.open_file(raw)
    o = office_row(reader)
    return opened.header, container.decrypt(opened, o.code, office_decryption_keys(o))


def repack(header: dict[str, Any], segments: list[Segment], signer: Ledger, reader: Ledger,
           fmt: int = container.FORMAT, **manifest: Any) -> bytes:
    """A sync file from given segments, signed with the signer's own key, for the reader."""
    base = {k: v for k, v in header.items() if k not in ("format", "recipients", "nonce")}
    ranges: dict[str, list[int]] = {}
    for seg in segments:
        r = ranges.setdefault(seg.origin, [seg.first, seg.last])
        r[0], r[1] = min(r[0], seg.first), max(r[1], seg.last)
    base.update(ranges=ranges, counts={"segments": len(segments), "changes": sum(len(x.changes) for x in segments)})
    base.update(manifest)
    to = office_row(reader)
    return container.pack(base, segments, {to.code: str(to.enc_public_key)}, office_signer(office_row(signer)),
                          fmt)


def statement_view(led: Ledger, key: str) -> tuple[Any, ...]:
    st_ = led.accounts.statement(key)
    return (st_.worker._replace(id=0), st_.schemes, st_.account_years, st_.individual_account_balance,
            st_.interest_complete)


# -- round trip and idempotence -------------------------------------------------------------

def test_round_trip_statement_and_audit(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    key = register(a, ID_1, months=tuple(f"2025-{m:02d}" for m in range(1, 13)))
    r = send(a, b, tmp_path)
    assert isinstance(r, ImportResult)
    assert r.sender == "NC01" and r.applied == 1 + 1 + 12 * 4 and r.already_applied == 0
    assert r.conflicts == 0 and r.held == 0 and r.gaps == ()
    assert statement_view(b, key) == statement_view(a, key)
    assert b.accounts.statement(key).individual_account_balance == a.accounts.statement(key).individual_account_balance
    assert contributions(b) == contributions(a)
    verdict = b.audit.verify()
    assert verdict.valid and verdict.reason == "audit.ok" and verdict.entries > 0
    assert a.audit.verify().valid
    assert b.sync.peers()[0].code == "NC01" and b.sync.peers()[0].applied_seq == r.applied


def test_same_file_twice_and_overlapping_files(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1, months=("2025-01", "2025-02"))
    f1 = export(a, b, tmp_path, "f1.sync")
    first = b.sync.import_file(f1)
    assert first.applied == 2 + 2 * 4
    err = refused(b, f1, "sync.already_imported")
    assert isinstance(err, Conflict)
    a.contributions.record(ID_1, uscc(EMP_NC), "2025-03", "5000")
    f2 = export(a, b, tmp_path, "f2.sync")
    second = b.sync.import_file(f2)
    assert (second.applied, second.already_applied) == (4, first.applied)
    assert contributions(b) == contributions(a)


# -- bad input ------------------------------------------------------------------------------

def _good(a: Ledger, b: Ledger, folder: Path, id_number: str = ID_3) -> None:
    """After a refused file, the next good file imports."""
    register(a, id_number, "李四")
    r = b.sync.import_file(export(a, b, folder, f"good-{id_number}.sync"))
    assert r.applied > 0
    assert b.workers.get(id_number).name == "李四"


def _flip(raw: bytes, where: str) -> bytes:
    hlen = int.from_bytes(raw[len(container.MAGIC):len(container.MAGIC) + 4], "big")
    start = len(container.MAGIC) + 4
    body_start = start + hlen + 8
    pos = {"header": raw.index(b'"created":"', start) + 14,
           "body": (body_start + len(raw) - 64) // 2,
           "signature": len(raw) - 10,
           "length": len(container.MAGIC) + 3}[where]
    out = bytearray(raw)
    out[pos] ^= 0x01
    return bytes(out)


@pytest.mark.parametrize(("where", "key"), [("header", "sync.bad_signature"), ("body", "sync.bad_signature"),
                                            ("signature", "sync.bad_signature"), ("length", "sync.truncated")])
def test_flipped_bit(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path, where: str, key: str) -> None:
    a, b, _ = abc
    register(a, ID_1, months=("2025-01",))
    raw = export(a, b, tmp_path, "f.sync").read_bytes()
    bad = tmp_path / "flipped.sync"
    bad.write_bytes(_flip(raw, where))
    assert isinstance(refused(b, bad, key), IntegrityFailure)
    with pytest.raises(InvalidInput) as err:
        b.workers.get(ID_1)
    assert (err.value.key, err.value.params["value"]) == ("worker.unknown", ID_1)
    _good(a, b, tmp_path)
    assert b.workers.get(ID_1).name == "张三"


@pytest.mark.parametrize("cut", ["in-length", "in-header", "in-body", "no-signature", "last-byte"])
def test_truncated(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path, cut: str) -> None:
    a, b, _ = abc
    register(a, ID_1, months=("2025-01",))
    raw = export(a, b, tmp_path, "f.sync").read_bytes()
    hlen = int.from_bytes(raw[len(container.MAGIC):len(container.MAGIC) + 4], "big")
    body_start = len(container.MAGIC) + 4 + hlen + 8
    at = {"in-length": len(container.MAGIC) + 2, "in-header": len(container.MAGIC) + 4 + hlen // 2,
          "in-body": (body_start + len(raw) - 64) // 2, "no-signature": len(raw) - 64,
          "last-byte": len(raw) - 1}[cut]
    bad = tmp_path / "cut.sync"
    bad.write_bytes(raw[:at])
    refused(b, bad, "sync.truncated")
    _good(a, b, tmp_path)


def test_file_for_another_office(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, c = abc
    register(a, ID_1)
    for_c = export(a, c, tmp_path, "for-c.sync")
    err = refused(b, for_c, "sync.not_for_us")
    assert "SH01" in err.message("en")
    _good(a, b, tmp_path)
    assert c.sync.import_file(for_c).applied > 0


def test_untrusted_sender(abc: tuple[Ledger, Ledger, Ledger], sqlite_template: Path, tmp_path: Path) -> None:
    a, b, _ = abc
    d = make_office(sqlite_template, tmp_path, "GZ01", "广州市社保局", "440100", "91440101MA59ABCD1", "广州公司")
    try:
        d.office.trust(b.office.identity())
        register(d, ID_1)
        err = refused(b, export(d, b, tmp_path, "from-d.sync"), "sync.untrusted")
        assert "GZ01" in err.message("en")
    finally:
        d.close()
    _good(a, b, tmp_path)


def test_segment_from_untrusted_origin(abc: tuple[Ledger, Ledger, Ledger], sqlite_template: Path,
                                       tmp_path: Path) -> None:
    """A relays changes made at D, which B does not trust: the whole file is refused."""
    a, b, _ = abc
    register(a, ID_3, "李四")
    good = export(a, b, tmp_path, "good.sync")
    d = make_office(sqlite_template, tmp_path, "GZ01", "广州市社保局", "440100", "91440101MA59ABCD1", "广州公司")
    try:
        trust_all(a, d)
        register(d, ID_1)
        assert a.sync.import_file(export(d, a, tmp_path, "d-to-a.sync")).applied > 0
    finally:
        d.close()
    relayed = export(a, b, tmp_path, "relayed.sync")
    err = refused(b, relayed, "sync.untrusted_origin")
    assert "GZ01" in err.message("en")
    r = b.sync.import_file(good)
    assert r.applied > 0 and b.workers.get(ID_3).name == "李四"
    with pytest.raises(InvalidInput) as err:
        b.workers.get(ID_1)
    assert (err.value.key, err.value.params["value"]) == ("worker.unknown", ID_1)


def test_replayed_old_file(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1)
    old = export(a, b, tmp_path, "old.sync")
    a.workers.update(ID_1, phone="13800000001")
    newer = export(a, b, tmp_path, "newer.sync")
    b.sync.import_file(newer)
    assert b.workers.get(ID_1).phone == "13800000001"
    refused(b, old, "sync.nothing_new")
    assert b.workers.get(ID_1).phone == "13800000001"
    _good(a, b, tmp_path)


def test_fresh_file_with_nothing_new_is_not_a_replay(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    """B has not told A what it has, so A sends its changes again: a fresh file, not an old one."""
    a, b, _ = abc
    register(a, ID_1)
    first = b.sync.import_file(export(a, b, tmp_path, "1.sync"))
    again = export(a, b, tmp_path, "2.sync")
    before = workers(b)
    r = b.sync.import_file(again)
    assert (r.applied, r.already_applied, r.conflicts) == (0, first.applied, 0)
    assert workers(b) == before
    refused(b, again, "sync.already_imported")


def test_file_from_newer_version(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1)
    header, segments = opened_segments(export(a, b, tmp_path, "f.sync").read_bytes(), b)
    bad = tmp_path / "newer.sync"
    bad.write_bytes(repack(header, segments, a, b, schema="9999", app_version="9.0"))
    container.check_signature(container.open_file(bad.read_bytes()), office_row(a).public_key)
    err = refused(b, bad, "sync.newer")
    assert "9.0" in err.message("en") and "upgrade to version 9.0" in err.message("en")
    assert "9.0" in err.message("zh")
    _good(a, b, tmp_path)


@pytest.mark.parametrize("content", [
    pytest.param(random.Random(7).randbytes(4096), id="random"),
    pytest.param(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
                 id="pdf"),
    pytest.param(b"", id="empty"),
    pytest.param(b'{"kind": "shebao-sync"}', id="json"),
])
def test_file_not_ours(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path, content: bytes) -> None:
    a, b, _ = abc
    bad = tmp_path / "x.sync"
    bad.write_bytes(content)
    refused(b, bad, "sync.not_ours")
    _good(a, b, tmp_path)


def test_missing_file_is_invalid_input(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    _, b, _ = abc
    with pytest.raises(InvalidInput) as info:
        b.sync.import_file(tmp_path / "nowhere.sync")
    assert info.value.key == "file.unreadable" and info.value.exit_code == 2


@pytest.mark.parametrize("first_version", [True, False], ids=["format-1-objects", "shorter-arrays"])
def test_older_file_lacking_fields_takes_defaults(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path,
                                                  first_version: bool) -> None:
    """A file from an older version: its people lack the last three fields, which take their defaults.

    The first version wrote file format 1, hashed segments line by line and sent data as objects
    by field name; a later one sends shorter arrays.
    """
    a, b, _ = abc
    register(a, ID_1, months=("2025-01",))
    header, segments = opened_segments(export(a, b, tmp_path, "f.sync").read_bytes(), b)
    key = office_signer(office_row(a))
    resealed = []
    for seg in segments:
        rows = []
        for c in seg.changes:
            data = json.loads(c[5])
            assert isinstance(data, list)
            spec = TABLES[c[2]]
            if c[2] == "worker":
                assert spec.names[-3:] == ("insured_region", "pension_since", "retirement_group")
                data = data[:-3]
            if first_version:
                data = dict(zip(spec.names, data, strict=False))  # workers: 3 fields fewer
            c = [*c[:5], json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), c[6]]
            rows.append(c)
        resealed.append(container.seal(seg.origin, rows, key, seg.sealed_at, lines=first_version)
                        if seg.origin == "NC01" else seg)
    older = tmp_path / "older.sync"
    older.write_bytes(repack(header, resealed, a, b, fmt=1 if first_version else container.FORMAT,
                             schema="0007", app_version="0.9"))
    r = b.sync.import_file(older)
    assert r.applied == 2 + 4
    w = b.workers.get(ID_1)
    assert w.name == "张三" and w.birth_date.isoformat() == "1985-11-11"
    with b.read() as s:
        row = s.scalars(select(Worker).where(Worker.id_number == ID_1)).one()
        assert row.insured_region is None and row.pension_since is None and row.retirement_group is None
    assert contributions(b) == contributions(a)


def _resigned_with(a: Ledger, b: Ledger, tmp_path: Path, table: str, field: str, value: Any) -> Path:
    """A's file for B with one field of every `table` change set to `value`, properly signed by A."""
    header, segments = opened_segments(export(a, b, tmp_path, "f.sync").read_bytes(), b)
    spec = TABLES[table]
    resealed = []
    for seg in segments:
        rows = []
        for c in seg.changes:
            if c[2] == table:
                data = json.loads(c[5])
                data[spec.names.index(field)] = value
                c = [*c[:5], json.dumps(data, ensure_ascii=False, separators=(",", ":")), c[6]]
            rows.append(c)
        resealed.append(container.seal(seg.origin, rows, office_signer(office_row(a)), seg.sealed_at))
    bad = tmp_path / f"bad-{table}-{field}.sync"
    bad.write_bytes(repack(header, resealed, a, b))
    return bad


@pytest.mark.parametrize(("table", "field", "value"), [
    ("contribution", "wage", "多少"),
    ("contribution", "base", 12.5),
    ("contribution", "recorded_on", "2026-13-45"),
    ("contribution", "month", None),
    ("worker", "birth_date", "not a date"),
    ("worker", "created_at", 20261123),
])
def test_signed_but_malformed_values_are_refused(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path,
                                                 table: str, field: str, value: Any) -> None:
    """Values of the wrong kind are a damaged file even when the origin signed them: nothing applied."""
    a, b, _ = abc
    register(a, ID_1, months=("2025-01", "2025-02"))
    refused(b, _resigned_with(a, b, tmp_path, table, field, value), "sync.damaged")
    _good(a, b, tmp_path)


def test_bulk_rows_are_in_the_audit_trail(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    """Rows inserted in bulk by an import are counted in the audit trail, which still verifies."""
    a, b, _ = abc
    register(a, ID_1, months=tuple(f"2025-{m:02d}" for m in range(1, 7)))
    register(a, ID_2, name="李四", months=("2025-01",))
    send(a, b, tmp_path)
    with b.read() as s:
        entries = {str(t): json.loads(j) for t, j in s.execute(text(
            "SELECT table_name, after_json FROM audit_entry WHERE action = 'bulk_insert'"))}
        stored = int(s.execute(text("SELECT count(*) FROM contribution")).scalar_one())
    assert stored == 7 * 4
    assert entries["contribution"]["rows"] == stored
    assert entries["worker"]["rows"] == 2 and entries["worker"]["new_records_from_sync"] == 2
    assert b.audit.verify().valid


@pytest.mark.parametrize("lie", ["ranges", "changes", "segments"])
def test_manifest_that_disagrees_with_its_segments(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path,
                                                   lie: str) -> None:
    """Signed by a trusted sender, yet the manifest names other ranges or counts than the body holds
    (a sender's bug, or a body put in after the manifest was written): refused whole."""
    a, b, _c = abc
    register(a, ID_1, months=("2026-09", "2026-10"))
    header, segments = opened_segments(export(a, b, tmp_path, "f.sync").read_bytes(), b)
    total = sum(len(x.changes) for x in segments)
    wrong: dict[str, Any] = {
        "ranges": {"ranges": {x.origin: [x.first, x.last + 1] for x in segments}},
        "changes": {"counts": {"segments": len(segments), "changes": total - 1}},
        "segments": {"counts": {"segments": len(segments) + 1, "changes": total}},
    }[lie]
    bad = tmp_path / "lying.sync"
    bad.write_bytes(repack(header, segments, a, b, **wrong))
    refused(b, bad, "sync.manifest")
    bad.write_bytes(repack(header, segments, a, b))  # the same content with a true manifest imports
    assert b.sync.import_file(bad).applied == total


def test_forged_segment_inside_a_signed_file(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    """The sender re-signs the file, but a change in A's segment no longer matches A's signature."""
    a, b, c = abc
    register(a, ID_1)
    header, segments = opened_segments(export(a, b, tmp_path, "f.sync").read_bytes(), b)
    forged = [Segment(s.origin, s.first, s.last, s.digest, s.signature, s.sealed_at,
                      [[*ch[:5], ch[5].replace("张三", "王五"), ch[6]] for ch in s.changes]) for s in segments]
    bad = tmp_path / "forged.sync"
    bad.write_bytes(repack(header, forged, a, b))
    refused(b, bad, "sync.segment_broken")
    resigned = [container.seal(s.origin, s.changes, office_signer(office_row(c)), s.sealed_at) for s in forged]
    bad.write_bytes(repack(header, resigned, a, b))
    refused(b, bad, "sync.segment_signature")
    _good(a, b, tmp_path)


# -- out of order ---------------------------------------------------------------------------

def test_out_of_order_files_are_held_until_the_gap_fills(offices: Offices, tmp_path: Path) -> None:
    a, b = offices.open("A"), offices.open("B")
    late = offices.open("B", copy="-late")  # the same office, receiving the files in another order
    files = []
    for i, id_number in enumerate((ID_1, ID_2, ID_3)):
        register(a, id_number, f"张{'一二三'[i]}", months=(f"2025-0{i + 1}",))
        files.append(export(a, b, tmp_path, f"f{i + 1}.sync"))
        b.sync.import_file(files[-1])
        a.sync.import_file(export(b, a, tmp_path, f"ack{i + 1}.sync"))  # B tells A what it has
    sizes = [len(changes_of(f, late)) for f in files]
    assert sizes == [1 + 1 + 4, 1 + 4, 1 + 4]  # each file starts where B said it was

    before = state(late)
    r3 = late.sync.import_file(files[2])
    assert (r3.applied, r3.held) == (0, sizes[2])
    assert r3.gaps == (Gap("NC01", 1, sizes[0] + sizes[1]),)
    after = state(late)
    assert after["sync_held"] == 1
    moved = ("sync_held", "sync_file", "sync_peer", "audit_entry", "peers")  # the held segment, the file's record
    assert {k: v for k, v in after.items() if k not in moved} == {k: v for k, v in before.items() if k not in moved}
    with pytest.raises(InvalidInput) as err:
        late.workers.get(ID_3)
    assert (err.value.key, err.value.params["value"]) == ("worker.unknown", ID_3)

    r1 = late.sync.import_file(files[0])
    assert (r1.applied, r1.held) == (sizes[0], 0)
    assert r1.gaps == (Gap("NC01", sizes[0] + 1, sizes[0] + sizes[1]),)
    assert late.sync.gaps() == list(r1.gaps)
    assert late.workers.get(ID_1).name == "张一"
    for hidden in (ID_2, ID_3):
        with pytest.raises(InvalidInput) as err:
            late.workers.get(hidden)
        assert (err.value.key, err.value.params["value"]) == ("worker.unknown", hidden)

    r2 = late.sync.import_file(files[1])
    assert r2.applied == sizes[1] + sizes[2] and r2.held == 0 and r2.gaps == ()
    assert late.sync.gaps() == []
    assert state(late)["sync_held"] == 0
    assert workers(late) == workers(a) == workers(b)
    assert contributions(late) == contributions(a)
    refused(late, files[2], "sync.already_imported")


def changes_of(path: Path, reader: Ledger) -> list[Any]:
    return [c for seg in opened_segments(path.read_bytes(), reader)[1] for c in seg.changes]


# -- concurrent edits -----------------------------------------------------------------------

@pytest.mark.parametrize("first", ["A", "B"])
def test_concurrent_edits_converge_and_keep_the_loser(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path,
                                                      first: str) -> None:
    a, b, _ = abc
    register(a, ID_1)
    send(a, b, tmp_path, "seed.sync")
    send(b, a, tmp_path, "seed-ack.sync")
    a.workers.update(ID_1, phone="13800000001")
    b.workers.update(ID_1, phone="13900000002")
    one, other = (a, b) if first == "A" else (b, a)
    r1 = send(other, one, tmp_path, "x1.sync")
    r2 = send(one, other, tmp_path, "x2.sync")
    assert isinstance(r1, ImportResult) and isinstance(r2, ImportResult)
    assert r1.conflicts == 1 and r2.conflicts == 1
    assert a.workers.get(ID_1).phone == b.workers.get(ID_1).phone
    assert workers(a) == workers(b)
    winner_phone = a.workers.get(ID_1).phone
    loser_phone = ({"13800000001", "13900000002"} - {winner_phone}).pop()
    for led in (a, b):
        found = led.sync.conflicts()
        assert len(found) == 1
        assert found[0].table == "worker" and found[0].key == ID_1
        assert found[0].differences() == [("phone", winner_phone, loser_phone)]
    assert a.sync.conflicts()[0].winner == b.sync.conflicts()[0].winner
    assert a.sync.conflicts()[0].loser == b.sync.conflicts()[0].loser
    for name in ("y1.sync", "y2.sync"):  # more rounds: the conflict is not reported again
        for src, dst in ((a, b), (b, a)):
            send(src, dst, tmp_path, f"{code(src)}-{name}")
    assert len(a.sync.conflicts()) == len(b.sync.conflicts()) == 1

    resolver, peer = (a, b) if first == "A" else (b, a)
    cid = resolver.sync.conflicts()[0].id
    done = resolver.sync.resolve(cid, "loser")
    assert done.resolution == "loser" and done.reviewed_by == "-"
    assert resolver.workers.get(ID_1).phone == loser_phone
    r = send(resolver, peer, tmp_path, "resolved.sync")
    assert isinstance(r, ImportResult) and r.applied == 1 and r.conflicts == 0
    send(peer, resolver, tmp_path, "resolved-ack.sync")
    assert a.workers.get(ID_1).phone == b.workers.get(ID_1).phone == loser_phone
    assert workers(a) == workers(b)
    assert resolver.sync.conflicts() == []
    reviewed = resolver.sync.conflicts(include_reviewed=True)
    assert [(c.id, c.resolution) for c in reviewed] == [(cid, "loser")]
    assert len(peer.sync.conflicts()) == 1
    with pytest.raises(Conflict) as info:
        resolver.sync.resolve(cid, "winner")
    assert info.value.key == "sync.conflict_reviewed"
    with pytest.raises(InvalidInput) as err:
        resolver.sync.resolve(cid, "both")
    assert (err.value.key, err.value.field) == ("sync.take", "take")


def test_edit_after_seeing_the_other_is_no_conflict(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1)
    send(a, b, tmp_path, "1.sync")
    b.workers.update(ID_1, phone="13900000002")
    send(b, a, tmp_path, "2.sync")
    a.workers.update(ID_1, phone="13800000001")
    r = send(a, b, tmp_path, "3.sync")
    assert isinstance(r, ImportResult) and r.conflicts == 0
    assert b.workers.get(ID_1).phone == "13800000001"
    assert a.sync.conflicts() == b.sync.conflicts() == []


# -- the same person at two offices, duplicate months ------------------------------------------

def test_same_person_registered_at_two_offices(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1, "张三")
    register(b, ID_1, "张三")
    send(a, b, tmp_path, "1.sync")
    send(b, a, tmp_path, "2.sync")
    for led in (a, b):
        assert count_id(led, ID_1) == 1
        assert led.sync.conflicts() == []
    assert workers(a) == workers(b)


def test_same_person_registered_with_different_names(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1, "张三")
    register(b, ID_1, "张叁")
    send(a, b, tmp_path, "1.sync")
    send(b, a, tmp_path, "2.sync")
    for led in (a, b):
        assert count_id(led, ID_1) == 1
        assert len(led.sync.conflicts()) == 1
    assert a.workers.get(ID_1).name == b.workers.get(ID_1).name
    assert a.sync.conflicts()[0].winner == b.sync.conflicts()[0].winner
    assert workers(a) == workers(b)
    names = {a.sync.conflicts()[0].winner_data["name"], a.sync.conflicts()[0].loser_data["name"]}
    assert names == {"张三", "张叁"}


def test_registered_at_both_then_edited_at_both(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    """Each office's own registration is superseded by its own edit: only the edits conflict."""
    a, b, _ = abc
    register(a, ID_1, "张三")
    register(b, ID_1, "张三")
    a.workers.update(ID_1, phone="13800000001")
    b.workers.update(ID_1, phone="13900000002")
    r1 = send(a, b, tmp_path, "1.sync")
    r2 = send(b, a, tmp_path, "2.sync")
    assert isinstance(r1, ImportResult) and isinstance(r2, ImportResult)
    assert r1.conflicts == r2.conflicts == 1
    seen = [[(c.winner, c.loser, c.differences()) for c in led.sync.conflicts()] for led in (a, b)]
    assert seen[0] == seen[1]
    assert workers(a) == workers(b) and count_id(a, ID_1) == count_id(b, ID_1) == 1


def test_months_paid_in_two_regions(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, b, _ = abc
    register(a, ID_1, months=tuple(f"2024-{m:02d}" for m in range(1, 7)))
    register(b, ID_1, months=tuple(f"2024-{m:02d}" for m in range(4, 10)))
    send(a, b, tmp_path, "1.sync")
    send(b, a, tmp_path, "2.sync")
    expected = [(ID_1, "张三", m, ("110105", "360100")) for m in (202404, 202405, 202406)]
    assert a.sync.duplicate_months() == expected
    assert b.sync.duplicate_months() == expected
    assert b.sync.duplicate_months(ID_1) == expected
    assert contributions(a) == contributions(b)
    assert statement_view(a, ID_1) == statement_view(b, ID_1)


# -- snapshot, relay, capture ------------------------------------------------------------------

def test_full_snapshot_to_a_brand_new_office(offices: Offices, tmp_path: Path) -> None:
    a, b = offices.open("A"), offices.open("B")
    register(a, ID_1, months=("2025-01", "2025-02"))
    register(b, ID_2, "李四", months=("2025-03",))
    send(b, a, tmp_path, "b-to-a.sync")
    a.workers.update(ID_2, phone="13800000001")
    c = offices.open("C")
    missing = len(changes(a) - changes(c))
    r = c.sync.import_file(export(a, c, tmp_path, "full.sync", full=True))
    assert r.applied == missing and r.conflicts == 0
    assert workers(c) == workers(a)
    assert contributions(c) == contributions(a)
    assert {x[:2] for x in changes(c)} >= {x[:2] for x in changes(a)}
    origins = {x[0] for x in changes(c)}
    assert origins == {"NC01", "BJ01", "SH01"}
    assert statement_view(c, ID_1) == statement_view(a, ID_1)


def test_relay_keeps_origin_and_applies_once(abc: tuple[Ledger, Ledger, Ledger], tmp_path: Path) -> None:
    a, hub, c = abc
    register(a, ID_1, months=("2025-01",))
    send(a, c, tmp_path, "direct.sync")
    send(a, hub, tmp_path, "to-hub.sync")
    r = send(hub, c, tmp_path, "relayed.sync")
    assert isinstance(r, ImportResult)
    assert r.applied == 1 and r.already_applied == 6  # the hub's employer; A's changes only once
    assert count_id(c, ID_1) == 1 and contributions(c) == contributions(a)
    with c.read() as s:
        assert {r[0] for r in capture.every_change(s) if r[3] in ('worker', 'contribution')} == {"NC01"}


def test_bulk_insert_without_capture_is_refused(abc: tuple[Ledger, Ledger, Ledger]) -> None:
    a, _, _ = abc
    register(a, ID_1)
    before = state(a)
    with a.read() as s:
        wid = s.execute(select(Worker.id)).scalar_one()
        eid = s.execute(select(Employer.id)).scalar_one()
    row = {"worker_id": wid, "employer_id": eid, "region": "360100", "month": 202501, "scheme": "pension",
           "wage": 500000, "base": 500000, "employer_amount": 80000, "employee_amount": 40000,
           "account_amount": 40000, "kind": "normal", "status": "paid", "recorded_on": TODAY,
           "batch_id": None, "exemption_id": None}
    with pytest.raises(UncapturedChange, match=r"^bulk INSERT into synced tables not captured: \{.contribution.: 1"), \
            a.write() as s:
        s.execute(insert(CONTRIBUTION), [row])
        audit.record_bulk(a, s, "contribution", {"source": "test"})  # audited, but not captured
    assert state(a) == before


# -- convergence under any interleaving --------------------------------------------------------

_STEP = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from("AB"), st.sampled_from((ID_1, ID_2)), st.integers(0, 9)),
    st.tuples(st.just("export"), st.sampled_from("AB")),
    st.tuples(st.just("deliver"), st.integers(0, 50)),
)


@pytest.fixture(scope="module")
def seeded_files(office_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A and B after a first exchange: two people known at both."""
    folder = tmp_path_factory.mktemp("seeded")
    offices = Offices(office_files, folder)
    a, b = offices.open("A"), offices.open("B")
    register(a, ID_1)
    register(a, ID_2, "李四")
    send(a, b, folder, "seed.sync")
    send(b, a, folder, "seed-ack.sync")
    offices.close()
    return {"A": folder / "A.db", "B": folder / "B.db"}


@settings(max_examples=examples(15), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(_STEP, min_size=1, max_size=10), order=st.randoms(use_true_random=False))
def test_any_interleaving_converges(seeded_files: dict[str, Path], steps: list[tuple[Any, ...]],
                                    order: random.Random) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        offices = Offices(seeded_files, folder)
        try:
            side = {"A": offices.open("A"), "B": offices.open("B")}
            a, b = side["A"], side["B"]
            files: list[tuple[Path, str]] = []
            for step in steps:
                if step[0] == "edit":
                    side[step[1]].workers.update(step[2], phone=f"13{8 if step[1] == 'A' else 9}0000000{step[3]}")
                elif step[0] == "export":
                    dst = "B" if step[1] == "A" else "A"
                    files.append((export(side[step[1]], side[dst], folder, f"{len(files)}.sync"), dst))
                elif files:
                    path, dst = files[step[1] % len(files)]
                    _import_tolerant(side[dst], path)
            pending = files[:]
            order.shuffle(pending)
            for path, dst in pending:
                _import_tolerant(side[dst], path)
            for src, to in ((a, b), (b, a)):  # a last exchange each way: fresh files are never refused
                to.sync.import_file(export(src, to, folder, f"final-{code(src)}.sync"))
            assert workers(a) == workers(b)
            assert changes(a) == changes(b)
            assert a.sync.gaps() == b.sync.gaps() == []
            opened = [(c.key, c.winner, c.loser) for c in a.sync.conflicts()]
            assert len(opened) == len(set(opened))
        finally:
            offices.close()


def _import_tolerant(led: Ledger, path: Path) -> None:
    try:
        led.sync.import_file(path)
    except Conflict as err:
        assert err.key in ("sync.already_imported", "sync.nothing_new"), err.key


# -- the sync file's own checks (desktop/core/sync/container.py), without a database -------------
# Segments and files are built from a few literal changes with keys made here, taken apart by hand
# as the layout in the module's docstring says (X25519 + HKDF-SHA256 + AES-256-GCM, zlib, Ed25519),
# and damaged byte by byte. Expected digests were worked out with `sha256sum` and
# `openssl dgst -sha256 -binary | base64` over the bytes written out here.

MAGIC = b"SHEBAO-SYNC\n"
CHANGES: list[list[Any]] = [
    [1, 1, "worker", "W1", None, "张三", "2026-11-23 10:00:00"],
    [2, 2, "contribution", "W1|202401", "NC01:1", "6000.00", "2026-11-23 10:00:01"],
]
BLOB = ('[[1,1,"worker","W1",null,"张三","2026-11-23 10:00:00"],'
        '[2,2,"contribution","W1|202401","NC01:1","6000.00","2026-11-23 10:00:01"]]').encode()
# printf '%s' BLOB | openssl dgst -sha256 -binary | base64 | tr '+/' '-_'  (one '=' of padding dropped)
LIST_DIGEST = "sha256-list:Q3Jf0dlpIA4Q6QQuGlZFbNEhObxI48kSTnWe_ALhBzk"
# printf the two lines ["NC01",<change>] each ending in \n | sha256sum
LINES_DIGEST = "933d8c358aaf52a2dfb8ebd2c5b3b2b247dbc31eefd2df029927d56a91b775de"
SEALED = "2026-11-23 10:00:02"


def _ed() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def _x() -> tuple[X25519PrivateKey, str]:
    key = X25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return key, public


NC_SIGN, NC_VERIFY = _ed()  # the sender and origin NC01
BJ_SIGN, BJ_VERIFY = _ed()  # a second origin, BJ01
SH_KEY, SH_PUBLIC = _x()  # the recipient SH01
GZ_KEY, GZ_PUBLIC = _x()  # another recipient, GZ01
MANIFEST = {"sender": "NC01", "created": "2026-11-23 10:00:03", "name": "南昌市社保局"}


def _refused(info: pytest.ExceptionInfo[IntegrityFailure], key: str, **params: Any) -> None:
    assert (info.value.key, info.value.field, info.value.params) == (key, "file", params)


def _segments() -> list[Segment]:
    bj = [[7, 9, "employer", "E1", None, "北京", "2026-11-22 09:00:00"]]
    return [container.seal("NC01", [list(c) for c in CHANGES], NC_SIGN, SEALED),
            container.seal("BJ01", bj, BJ_SIGN, "2026-11-22 09:00:01")]


def _hand_open(raw: bytes, office: str, key: X25519PrivateKey) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, header bytes, compressed plaintext) of a file, read by hand as the layout says."""
    assert raw[:12] == MAGIC
    (hlen,) = struct.unpack(">I", raw[12:16])
    header_bytes = raw[16:16 + hlen]
    (blen,) = struct.unpack(">Q", raw[16 + hlen:24 + hlen])
    body = raw[24 + hlen:24 + hlen + blen]
    assert len(raw) == 24 + hlen + blen + 64
    header = json.loads(header_bytes)
    entry = next(r for r in header["recipients"] if r["office"] == office)
    eph = base64.b64decode(entry["epk"])
    kek = HKDF(hashes.SHA256(), 32, eph, b"shebao-sync/1 body key").derive(
        key.exchange(X25519PublicKey.from_public_bytes(eph)))
    body_key = AESGCM(kek).decrypt(base64.b64decode(entry["nonce"]), base64.b64decode(entry["key"]),
                                   office.encode())
    compressed = AESGCM(body_key).decrypt(base64.b64decode(header["nonce"]), body, header_bytes)
    return header, header_bytes, compressed


def _hand_pack(header_extra: dict[str, Any], plain: bytes, to: dict[str, str], signer: str = NC_SIGN,
               key_nonce: bytes | None = None) -> bytes:
    """A sync file made by hand as the layout says (not with container.pack), signed by `signer`."""
    body_key = os.urandom(32)
    wrapped = []
    for code, pem in to.items():
        eph = X25519PrivateKey.generate()
        eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        peer = serialization.load_pem_public_key(pem.encode())
        assert isinstance(peer, X25519PublicKey)
        kek = HKDF(hashes.SHA256(), 32, eph_pub, b"shebao-sync/1 body key").derive(eph.exchange(peer))
        nonce = key_nonce or os.urandom(12)
        wrapped.append({"office": code, "epk": base64.b64encode(eph_pub).decode(),
                        "nonce": base64.b64encode(nonce).decode(),
                        "key": base64.b64encode(AESGCM(kek).encrypt(nonce, body_key, code.encode())).decode()})
    nonce = os.urandom(12)
    header = {**MANIFEST, "format": 2, "recipients": wrapped, "nonce": base64.b64encode(nonce).decode(),
              **header_extra}
    header_bytes = json.dumps(header).encode()
    body = AESGCM(body_key).encrypt(nonce, zlib.compress(plain), header_bytes)
    signed = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes + struct.pack(">Q", len(body)) + body
    private = serialization.load_pem_private_key(signer.encode(), None)
    assert isinstance(private, Ed25519PrivateKey)
    return signed + private.sign(signed)


def _plain(metas: list[dict[str, Any]], blobs: list[bytes], tail: bytes = b"") -> bytes:
    return json.dumps({"segments": metas}).encode() + b"\n" + b"".join(blobs) + tail


def _meta(seg: Segment, size: int) -> dict[str, Any]:
    return {"origin": seg.origin, "first": seg.first, "last": seg.last, "digest": seg.digest,
            "signature": seg.signature, "sealed_at": seg.sealed_at, "size": size}


# -- base64 and digests ------------------------------------------------------------------------

def test_base64_both_ways_and_malformed_text_is_a_damaged_file() -> None:
    assert container.b64(b"\x00\xffab") == "AP9hYg=="
    assert container.unb64("AP9hYg==") == b"\x00\xffab"
    for bad in ("AP9h$Yg==", "AP9hYg=", "AP9h Yg=="):  # a stray character, short padding, a space
        with pytest.raises(IntegrityFailure) as info:
            container.unb64(bad)
        _refused(info, "sync.damaged")


def test_changes_blob_and_both_digests_known_answers() -> None:
    assert container.changes_blob(CHANGES) == BLOB
    assert container.list_digest(BLOB) == LIST_DIGEST
    # printf '[]' | openssl dgst -sha256 -binary | base64 -> T1PN...uUU= (the '=' dropped)
    assert container.list_digest(b"[]") == "sha256-list:T1PNoYwrqgwDVLtfmj7L5e0Sq02OEbqHPC8RFhICuUU"
    assert container.lines_digest("NC01", CHANGES) == LINES_DIGEST
    assert container.segment_message("NC01", 1, 2, LIST_DIGEST, SEALED) == (
        b'shebao-segment/1\n["NC01",1,2,"' + LIST_DIGEST.encode() + b'","2026-11-23 10:00:02"]')
    assert container.segment_message("北京", 3, 3, "d", "s") == \
        b'shebao-segment/1\n["\\u5317\\u4eac",3,3,"d","s"]'  # ASCII JSON


# -- segments ----------------------------------------------------------------------------------

def _verify_key(pem: str) -> Any:
    return serialization.load_pem_public_key(pem.encode())


def test_seal_signs_the_list_digest_and_verify_accepts_it() -> None:
    seg = container.seal("NC01", CHANGES, NC_SIGN, SEALED)
    assert (seg.origin, seg.first, seg.last, seg.digest, seg.sealed_at) == ("NC01", 1, 2, LIST_DIGEST, SEALED)
    assert seg.blob == BLOB and seg.the_blob() == BLOB and seg.changes == CHANGES
    _verify_key(NC_VERIFY).verify(base64.b64decode(seg.signature), b'shebao-segment/1\n["NC01",1,2,"'
                                  + LIST_DIGEST.encode() + b'","2026-11-23 10:00:02"]')
    seg.verify(NC_VERIFY)
    assert seg.meta() == {"origin": "NC01", "first": 1, "last": 2, "digest": LIST_DIGEST,
                          "signature": seg.signature, "sealed_at": SEALED}
    assert seg.as_json() == {**seg.meta(), "changes": CHANGES}


def test_seal_of_three_changes_names_the_first_and_last() -> None:
    three = [[5, 1, "worker", "W", None, "x", "t"], [6, 1, "worker", "W", "b", "y", "t"],
             [7, 1, "worker", "W", "b", "z", "t"]]
    seg = container.seal("NC01", three, NC_SIGN, SEALED)
    assert (seg.first, seg.last) == (5, 7)
    seg.verify(NC_VERIFY)


def test_first_version_segments_use_the_lines_digest() -> None:
    seg = container.seal("NC01", CHANGES, NC_SIGN, SEALED, lines=True)
    assert (seg.digest, seg.blob) == (LINES_DIGEST, None)
    assert seg.the_blob() == BLOB  # made again from the changes
    seg.verify(NC_VERIFY)
    forged = Segment("NC01", 1, 2, LINES_DIGEST, seg.signature, SEALED, [CHANGES[0], [*CHANGES[1][:5], "6100.00",
                                                                                    CHANGES[1][6]]])
    with pytest.raises(IntegrityFailure) as info:
        forged.verify(NC_VERIFY)
    _refused(info, "sync.segment_broken", origin="NC01")


def test_the_blob_read_is_what_is_hashed_not_the_changes() -> None:
    """A segment read with a blob checks the blob it read (the bytes the origin signed)."""
    seg = container.seal("NC01", CHANGES, NC_SIGN, SEALED)
    other = Segment("NC01", 1, 2, LIST_DIGEST, seg.signature, SEALED, CHANGES, BLOB.replace(b"6000", b"6100"))
    assert other.the_blob() == BLOB.replace(b"6000", b"6100")
    with pytest.raises(IntegrityFailure) as info:
        other.verify(NC_VERIFY)
    _refused(info, "sync.segment_broken", origin="NC01")


def test_a_segment_signed_by_another_office_is_refused_naming_its_origin() -> None:
    seg = container.seal("NC01", CHANGES, BJ_SIGN, SEALED)
    with pytest.raises(IntegrityFailure) as info:
        seg.verify(NC_VERIFY)
    _refused(info, "sync.segment_signature", origin="NC01")
    for field, value in (("first", 2), ("last", 3), ("sealed_at", "2026-11-23 10:00:03")):
        moved = Segment(**{**seg.meta(), "signature": container.seal("NC01", CHANGES, NC_SIGN, SEALED).signature,
                           "changes": CHANGES, field: value})
        with pytest.raises(IntegrityFailure) as info:
            moved.verify(NC_VERIFY)  # the signature covers the range and the time too
        _refused(info, "sync.segment_signature", origin="NC01")
    bad_b64 = Segment("NC01", 1, 2, LIST_DIGEST, "not base64!", SEALED, CHANGES)
    with pytest.raises(IntegrityFailure) as info:
        bad_b64.verify(NC_VERIFY)
    _refused(info, "sync.damaged")


def _seg_json(**over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"origin": "NC01", "first": 1, "last": 2, "digest": LIST_DIGEST, "signature": "c2ln",
                         "sealed_at": SEALED, "changes": [list(c) for c in CHANGES]}
    d.update(over)
    return d


def test_from_json_reads_a_well_formed_segment() -> None:
    seg = Segment.from_json(_seg_json(first="1", last=2.0), BLOB)  # numbers as the file gave them
    assert (seg.origin, seg.first, seg.last, seg.digest, seg.signature, seg.sealed_at) == \
        ("NC01", 1, 2, LIST_DIGEST, "c2ln", SEALED)
    assert seg.changes == CHANGES and seg.blob == BLOB
    empty = Segment.from_json(_seg_json(first=5, last=4, changes=[]))  # no changes: nothing wrong with them
    assert (empty.first, empty.last, empty.changes, empty.blob) == (5, 4, [], None)


@pytest.mark.parametrize("over", [
    {"origin": KeyError}, {"first": KeyError}, {"last": KeyError}, {"digest": KeyError},
    {"signature": KeyError}, {"sealed_at": KeyError}, {"changes": KeyError},
    {"first": "one"}, {"last": None}, {"changes": "[]"}, {"changes": (tuple(CHANGES[0]), tuple(CHANGES[1]))},
    {"changes": [list(CHANGES[0]), tuple(CHANGES[1])]}, {"changes": [list(CHANGES[0]), "x"]},
], ids=["no-origin", "no-first", "no-last", "no-digest", "no-signature", "no-sealed-at", "no-changes",
       "first-text", "last-none", "changes-text", "changes-tuples", "a-change-tuple", "a-change-text"])
def test_from_json_refuses_a_damaged_shape(over: dict[str, Any]) -> None:
    d = _seg_json(**over)
    for k, v in over.items():
        if v is KeyError:
            del d[k]
    with pytest.raises(IntegrityFailure) as info:
        Segment.from_json(d)
    _refused(info, "sync.damaged")


def _change(i: int, value: Any, which: int = 1) -> list[list[Any]]:
    out = [list(c) for c in CHANGES]
    out[which][i] = value
    return out


@pytest.mark.parametrize("over", [
    {"last": 3}, {"last": 1}, {"first": 0}, {"first": 2},  # the range names 3 or 1 changes, not 2
    {"changes": [list(CHANGES[0])]},
    {"changes": [list(CHANGES[1]), list(CHANGES[0])]},  # 2 then 1
    {"changes": [list(CHANGES[0]), [3, *CHANGES[1][1:]]]},  # 1 then 3
    {"first": 2, "last": 3, "changes": [[2, *CHANGES[0][1:]], [2, *CHANGES[1][1:]]]},  # 2, 2 for 2..3
    {"changes": [list(CHANGES[0]), CHANGES[1][:6]]},  # six fields
    {"changes": [list(CHANGES[0]), [*CHANGES[1], "x"]]},  # eight fields
    {"changes": [list(CHANGES[0]), [CHANGES[1][0]]]},
    # 1.0 and True equal 1: only their type tells them from the sequence number 1
    {"changes": _change(0, "2")}, {"changes": _change(0, True, 0)}, {"changes": _change(0, 1.0, 0)},
    {"changes": _change(1, 2.0)},
    {"changes": _change(1, True)}, {"changes": _change(2, None)}, {"changes": _change(3, 4)},
    {"changes": _change(4, 1)}, {"changes": _change(5, None)}, {"changes": _change(6, None)},
    {"changes": _change(6, b"t")},
], ids=["last-3", "last-1", "first-0", "first-2", "one-change", "2-then-1", "1-then-3", "2-then-2",
       "six-fields", "eight-fields", "one-field", "seq-text", "seq-true", "seq-float", "lamport-float",
       "lamport-true", "table-none", "key-int", "base-int", "data-none", "at-none", "at-bytes"])
def test_from_json_refuses_a_broken_segment_naming_its_origin(over: dict[str, Any]) -> None:
    with pytest.raises(IntegrityFailure) as info:
        Segment.from_json(_seg_json(**over))
    _refused(info, "sync.segment_broken", origin="NC01")


def test_from_json_takes_every_allowed_type() -> None:
    """base may be text or empty; everything else has its one type (checked field by field)."""
    both = [[1, 1, "worker", "W1", None, "a", "t"], [2, 1, "worker", "W1", "NC01:1", "b", "t"]]
    assert Segment.from_json(_seg_json(changes=both)).changes == both


# -- the file ----------------------------------------------------------------------------------

def _pack(fmt: int = 2, segments: list[Segment] | None = None, to: dict[str, str] | None = None) -> bytes:
    return container.pack(dict(MANIFEST), _segments() if segments is None else segments,
                          {"SH01": SH_PUBLIC, "GZ01": GZ_PUBLIC} if to is None else to, NC_SIGN, fmt)


def test_a_packed_file_read_by_hand_as_the_layout_says() -> None:
    segments = _segments()
    raw = _pack(segments=segments)
    header, header_bytes, compressed = _hand_open(raw, "SH01", SH_KEY)
    _verify_key(NC_VERIFY).verify(raw[-64:], raw[:-64])  # the sender's signature over all before it
    # the header: compact key-sorted JSON in UTF-8, the manifest, the format, one entry a recipient
    assert header_bytes == json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert "南昌市社保局".encode() in header_bytes
    assert {k: header[k] for k in MANIFEST} == MANIFEST and header["format"] == 2
    assert [r["office"] for r in header["recipients"]] == ["GZ01", "SH01"]  # sorted by code
    assert [sorted(r) for r in header["recipients"]] == [["epk", "key", "nonce", "office"]] * 2
    assert [len(base64.b64decode(r["nonce"])) for r in header["recipients"]] == [12, 12]
    assert len(base64.b64decode(header["nonce"])) == 12
    assert [len(base64.b64decode(r["epk"])) for r in header["recipients"]] == [32, 32]
    assert compressed[:2] == b"\x78\x9c"  # zlib at level 6 (the default level's header)
    plain = zlib.decompress(compressed)
    index, _, blobs = plain.partition(b"\n")
    metas = json.loads(index)["segments"]
    assert index == json.dumps({"segments": metas}, ensure_ascii=False, separators=(",", ":")).encode()
    assert metas == [{**s.meta(), "size": len(s.the_blob())} for s in segments]
    assert metas[0]["size"] == len(BLOB) == 131  # 54 + 1 + 74 + 2 brackets, counted in BLOB
    assert blobs == BLOB + segments[1].the_blob()
    _, _, other = _hand_open(raw, "GZ01", GZ_KEY)
    assert zlib.decompress(other) == plain


def test_a_first_version_file_read_by_hand() -> None:
    segments = _segments()
    header, _, compressed = _hand_open(_pack(1, segments), "SH01", SH_KEY)
    assert header["format"] == 1
    assert zlib.decompress(compressed) == json.dumps(
        {"segments": [s.as_json() for s in segments]}, ensure_ascii=False, separators=(",", ":")).encode()


def test_pack_refuses_a_recipient_key_that_is_not_x25519() -> None:
    with pytest.raises(ValueError, match="^not an X25519 key$"):
        _pack(to={"SH01": NC_VERIFY})


@pytest.mark.parametrize("fmt", [1, 2])
def test_open_check_and_decrypt_a_packed_file(fmt: int) -> None:
    segments = _segments()
    opened = container.open_file(_pack(fmt, segments))
    assert opened.header["sender"] == "NC01" and opened.header["format"] == fmt
    container.check_signature(opened, NC_VERIFY)
    pem = SH_KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()).decode()
    for keys in (SH_KEY, pem, [GZ_KEY, SH_KEY], (SH_KEY,)):  # one key, its PEM, several (old first)
        got = container.decrypt(opened, "SH01", keys)  # type: ignore[arg-type]
        assert [(s.origin, s.first, s.last, s.digest, s.signature, s.sealed_at, s.changes) for s in got] == \
            [(s.origin, s.first, s.last, s.digest, s.signature, s.sealed_at, s.changes) for s in segments]
        assert [s.blob for s in got] == ([None, None] if fmt == 1 else [BLOB, segments[1].blob])
        got[0].verify(NC_VERIFY)
        got[1].verify(BJ_VERIFY)


def test_a_file_made_by_hand_is_read() -> None:
    segments = _segments()
    blobs = [BLOB, segments[1].the_blob()]
    raw = _hand_pack({}, _plain([_meta(s, len(b)) for s, b in zip(segments, blobs, strict=True)], blobs),
                     {"SH01": SH_PUBLIC})
    opened = container.open_file(raw)
    container.check_signature(opened, NC_VERIFY)
    got = container.decrypt(opened, "SH01", [GZ_KEY, SH_KEY])
    assert [(s.origin, s.first, s.last, s.changes) for s in got] == \
        [("NC01", 1, 2, CHANGES), ("BJ01", 7, 7, [[7, 9, "employer", "E1", None, "北京", "2026-11-22 09:00:00"]])]
    assert got[0].blob == BLOB
    one = _hand_pack({"format": 1}, json.dumps({"segments": [s.as_json() for s in segments]}).encode(),
                     {"SH01": SH_PUBLIC})
    first = container.decrypt(container.open_file(one), "SH01", SH_KEY)
    assert [(s.origin, s.changes) for s in first] == [("NC01", CHANGES), ("BJ01", segments[1].changes)]


def _sections(raw: bytes) -> dict[str, int]:
    """A byte in each part of a file: magic, lengths, the manifest's values, the body, the signature."""
    hlen = struct.unpack(">I", raw[12:16])[0]
    body = 24 + hlen
    blen = struct.unpack(">Q", raw[16 + hlen:body])[0]
    return {"magic": 0, "header-length": 15, "manifest-sender": raw.index(b'"sender":"NC01"') + 13,
            "manifest-created": raw.index(b'"created":"2026') + 14,
            "recipient-key": raw.index(b'"key":"') + 9,
            "body-nonce": raw.index(b'"nonce":"') + 10,  # keys sorted: the header's own comes first
            "body-length": 16 + hlen + 7, "body-start": body, "body-middle": body + blen // 2,
            "body-end": body + blen - 1, "signature-first": len(raw) - 64, "signature-last": len(raw) - 1}


def test_a_flipped_byte_in_each_part_of_the_file_is_refused() -> None:
    raw = _pack()
    opened = container.open_file(raw)
    container.check_signature(opened, NC_VERIFY)
    expected = {"magic": "sync.not_ours", "header-length": "sync.truncated", "body-length": "sync.truncated"}
    for part, pos in _sections(raw).items():
        bad = bytearray(raw)
        bad[pos] ^= 0x01
        with pytest.raises(IntegrityFailure) as info:
            container.check_signature(container.open_file(bytes(bad)), NC_VERIFY)
        if part in expected:
            _refused(info, expected[part])
        else:  # the signature covers everything before it: nothing else is read
            _refused(info, "sync.bad_signature", office="NC01" if part != "manifest-sender" else "NC00")


def test_a_flipped_byte_signed_again_is_still_refused_by_the_encryption() -> None:
    """A sender that signs a file damaged after encryption: the header is the body's associated data
    and the body its ciphertext, so decryption refuses either."""
    raw = _pack()
    sections = _sections(raw)
    for part in ("manifest-created", "body-start", "body-middle", "body-end", "body-nonce"):
        bad = bytearray(raw[:-64])
        bad[sections[part]] ^= 0x01
        private = serialization.load_pem_private_key(NC_SIGN.encode(), None)
        assert isinstance(private, Ed25519PrivateKey)
        opened = container.open_file(bytes(bad) + private.sign(bytes(bad)))
        container.check_signature(opened, NC_VERIFY)
        with pytest.raises(IntegrityFailure) as info:
            container.decrypt(opened, "SH01", SH_KEY)
        _refused(info, "sync.damaged")


@pytest.mark.parametrize("which", [0, 1])
def test_a_changed_segment_in_a_signed_file_is_refused_naming_its_origin(which: int) -> None:
    """Each segment: one byte of its changes changed before the file was sealed and signed."""
    segments = _segments()
    seg = segments[which]
    blob = seg.the_blob().replace(b"20", b"21", 1)
    forged = Segment(seg.origin, seg.first, seg.last, seg.digest, seg.signature, seg.sealed_at,
                     json.loads(blob), blob)
    segments[which] = forged
    got = container.decrypt(container.open_file(_pack(segments=segments)), "SH01", SH_KEY)
    got[1 - which].verify([NC_VERIFY, BJ_VERIFY][1 - which])
    with pytest.raises(IntegrityFailure) as info:
        got[which].verify([NC_VERIFY, BJ_VERIFY][which])
    _refused(info, "sync.segment_broken", origin=["NC01", "BJ01"][which])


def test_the_signature_names_the_sender_of_the_header() -> None:
    opened = container.open_file(_pack())
    with pytest.raises(IntegrityFailure) as info:
        container.check_signature(opened, BJ_VERIFY)  # not the sender's key
    _refused(info, "sync.bad_signature", office="NC01")
    plain = container.open_file(_hand_pack({"sender": None}, _plain([], []), {"SH01": SH_PUBLIC}))
    with pytest.raises(IntegrityFailure) as info:
        container.check_signature(plain, BJ_VERIFY)
    _refused(info, "sync.bad_signature", office="None")


def test_open_file_splits_the_parts() -> None:
    raw = _pack()
    hlen = struct.unpack(">I", raw[12:16])[0]
    opened = container.open_file(raw)
    assert opened.header_bytes == raw[16:16 + hlen]
    assert opened.body == raw[24 + hlen:-64]
    assert (opened.signed, opened.signature) == (raw[:-64], raw[-64:])
    assert opened.header == json.loads(raw[16:16 + hlen])


def test_cut_or_padded_files_are_truncated() -> None:
    raw = _pack()
    hlen = struct.unpack(">I", raw[12:16])[0]
    for cut in (12, 14, 16, 16 + hlen // 2, 16 + hlen, 16 + hlen + 4, 24 + hlen, len(raw) - 64, len(raw) - 1):
        with pytest.raises(IntegrityFailure) as info:
            container.open_file(raw[:cut])
        _refused(info, "sync.truncated")
    with pytest.raises(IntegrityFailure) as info:
        container.open_file(raw + b"\x00")  # 65 bytes where the signature is
    _refused(info, "sync.truncated")
    with pytest.raises(IntegrityFailure) as info:
        container.open_file(b"SHEBAO-SYNC")
    _refused(info, "sync.not_ours")


@pytest.mark.parametrize(("header", "key"), [
    (b"[1,2]", "sync.truncated"), (b'"text"', "sync.truncated"), (b"{nope", "sync.truncated"),
    (b'{"a":"\xff"}', "sync.truncated"), (b"{}", None), (b'{"\xe5\x8d\x97":1}', None),
], ids=["list", "text", "not-json", "not-utf8", "empty-object", "utf8-key"])
def test_a_header_that_is_not_a_json_object(header: bytes, key: str | None) -> None:
    raw = MAGIC + struct.pack(">I", len(header)) + header + struct.pack(">Q", 3) + b"abc" + b"s" * 64
    if key is None:
        opened = container.open_file(raw)
        assert opened.header == json.loads(header) and opened.body == b"abc" and opened.signature == b"s" * 64
        assert opened.signed == raw[:-64]
        return
    with pytest.raises(IntegrityFailure) as info:
        container.open_file(raw)
    _refused(info, key)


def test_a_file_for_other_offices_names_them() -> None:
    opened = container.open_file(_pack(to={"SH01": SH_PUBLIC, "BJ01": GZ_PUBLIC}))
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "GZ01", GZ_KEY)
    _refused(info, "sync.not_for_us", to="BJ01, SH01")
    nobody = container.open_file(_hand_pack({"recipients": []}, _plain([], []), {}))
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(nobody, "SH01", SH_KEY)
    _refused(info, "sync.not_for_us", to="")
    none = container.open_file(_hand_pack({}, _plain([], []), {}))
    del none.header["recipients"]
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(none, "SH01", SH_KEY)
    _refused(info, "sync.not_for_us", to="")


def test_a_key_the_file_was_not_encrypted_to_is_refused() -> None:
    opened = container.open_file(_pack(to={"SH01": SH_PUBLIC}))
    for keys in (GZ_KEY, [GZ_KEY], []):
        with pytest.raises(IntegrityFailure) as info:
            container.decrypt(opened, "SH01", keys)  # type: ignore[arg-type]
        _refused(info, "sync.damaged")


def test_a_body_key_wrapped_for_another_office_code_is_refused() -> None:
    """The office code is the wrapped key's associated data: the entry relabelled for SH01 fails."""
    opened = container.open_file(_pack(to={"GZ01": SH_PUBLIC}))
    opened.header["recipients"][0]["office"] = "SH01"
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")


def _bodies() -> dict[str, bytes]:
    segments = _segments()
    b1, b2 = BLOB, segments[1].the_blob()
    m1, m2 = _meta(segments[0], len(b1)), _meta(segments[1], len(b2))
    return {
        "size-short": _plain([{**m1, "size": len(b1) - 1}, {**m2, "size": len(b2) + 1}], [b1, b2]),
        "size-long": _plain([m1, {**m2, "size": len(b2) + 1}], [b1, b2]),
        "size-negative": _plain([m1, {**m2, "size": -1}], [b1, b2]),
        "size-missing": _plain([m1, {k: v for k, v in m2.items() if k != "size"}], [b1, b2]),
        "size-text": _plain([m1, {**m2, "size": "x"}], [b1, b2]),
        "trailing": _plain([m1, m2], [b1, b2], b" "),
        "no-index-line": json.dumps({"segments": [m1]}).encode() + b1,
        "index-not-json": b"{segments\n" + b1,
        "no-segments": _plain([], []).replace(b"segments", b"segment"),
        "blob-not-json": _plain([{**m1, "size": 4}], [b"[[1,"]),
        "blob-not-utf8": _plain([{**m1, "size": 2}], [b"\xff\xfe"]),
        "segment-shape": _plain([{**m1, "first": "x"}], [b1]),
    }


@pytest.mark.parametrize("body", sorted(_bodies()))
def test_a_signed_body_that_does_not_add_up_is_damaged(body: str) -> None:
    opened = container.open_file(_hand_pack({}, _bodies()[body], {"SH01": SH_PUBLIC}))
    container.check_signature(opened, NC_VERIFY)
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")


def test_an_empty_body_or_one_without_its_nonce_is_damaged() -> None:
    raw = _hand_pack({}, b"", {"SH01": SH_PUBLIC})  # nothing inside: no index line
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(container.open_file(raw), "SH01", SH_KEY)
    _refused(info, "sync.damaged")
    opened = container.open_file(_pack(to={"SH01": SH_PUBLIC}))
    del opened.header["nonce"]
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")


def test_an_empty_file_decrypts_to_no_segments() -> None:
    opened = container.open_file(_pack(segments=[], to={"SH01": SH_PUBLIC}))
    assert container.decrypt(opened, "SH01", SH_KEY) == []
    hand = container.open_file(_hand_pack({}, b'{"segments":[]}\n', {"SH01": SH_PUBLIC}))
    assert container.decrypt(hand, "SH01", SH_KEY) == []


def test_new_encryption_key_is_an_x25519_pair() -> None:
    public, private = container.new_encryption_key()
    assert public.startswith("-----BEGIN PUBLIC KEY-----\n") and private.startswith("-----BEGIN PRIVATE KEY-----\n")
    key = serialization.load_pem_private_key(private.encode(), None)
    assert isinstance(key, X25519PrivateKey)
    assert key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode() == public
    opened = container.open_file(_pack(to={"SH01": public}))
    assert len(container.decrypt(opened, "SH01", private)) == 2


def test_load_verify_key_reads_an_ed25519_public_key() -> None:
    key = container.load_verify_key(NC_VERIFY)
    private = serialization.load_pem_private_key(NC_SIGN.encode(), None)
    assert isinstance(private, Ed25519PrivateKey)
    key.verify(private.sign(b"x"), b"x")
    assert hashlib.sha256(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).digest() == \
        hashlib.sha256(private.public_key().public_bytes(serialization.Encoding.Raw,
                                                         serialization.PublicFormat.Raw)).digest()


def test_a_segment_blob_with_line_breaks_is_read_as_given() -> None:
    """Only the first line break ends the index: a writer that spaces its JSON over lines is read,
    and the blob kept byte for byte (its digest is over those bytes)."""
    blob = '[\n[1,1,"worker","W1",null,"张三","2026-11-23 10:00:00"]\n]'.encode()
    meta = {"origin": "NC01", "first": 1, "last": 1, "digest": "sha256-list:x", "signature": "c2ln",
            "sealed_at": SEALED, "size": len(blob)}
    opened = container.open_file(_hand_pack({}, _plain([meta], [blob]), {"SH01": SH_PUBLIC}))
    got = container.decrypt(opened, "SH01", SH_KEY)
    assert [(s.origin, s.first, s.last, s.changes, s.blob) for s in got] == [("NC01", 1, 1, [CHANGES[0]], blob)]


def test_a_size_past_the_end_is_damage_before_the_segment_is_read() -> None:
    """The last segment's size one byte longer than the body: the file is damaged, whatever the
    segment inside says (here a range of 3 for 2 changes, which alone is sync.segment_broken)."""
    meta = {**_meta(_segments()[0], len(BLOB) + 1), "last": 3}
    opened = container.open_file(_hand_pack({}, _plain([meta], [BLOB]), {"SH01": SH_PUBLIC}))
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(opened, "SH01", SH_KEY)
    _refused(info, "sync.damaged")
    exact = container.open_file(_hand_pack({}, _plain([{**meta, "size": len(BLOB)}], [BLOB]), {"SH01": SH_PUBLIC}))
    with pytest.raises(IntegrityFailure) as info:
        container.decrypt(exact, "SH01", SH_KEY)
    _refused(info, "sync.segment_broken", origin="NC01")


def test_the_index_is_written_in_utf8_not_escaped() -> None:
    """An origin named in Chinese is written as UTF-8 in the body's index line, as the changes are."""
    seg = container.seal("赣01", [list(CHANGES[0])], NC_SIGN, SEALED)
    _, _, compressed = _hand_open(_pack(segments=[seg], to={"SH01": SH_PUBLIC}), "SH01", SH_KEY)
    index = zlib.decompress(compressed).partition(b"\n")[0]
    assert index.startswith('{"segments":[{"origin":"赣01","first":1,"last":1,'.encode())
    got = container.decrypt(container.open_file(_pack(segments=[seg], to={"SH01": SH_PUBLIC})), "SH01", SH_KEY)
    assert [(s.origin, s.changes) for s in got] == [("赣01", [CHANGES[0]])]
