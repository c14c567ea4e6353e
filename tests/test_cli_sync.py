"""`shebao sync ...` through the command line: JSON fields, exit codes, the outbox."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sync_support import EMP_BJ, EMP_NC, TODAY, uscc

from desktop import cli
from desktop.core.clock import Clock
from desktop.core.ledger import Ledger

ID_1 = "510107198511113215"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = cli.main(list(args), clock=Clock(day=lambda: TODAY))
    out, err = capsys.readouterr()
    data = json.loads(out) if "--json" in args and out.strip() else out
    return code, data, err


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, data, err = run(capsys, *args, "--json")
    assert code == 0, err
    return data


def _cli_json(*args: str) -> Any:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([*args, "--json"], clock=Clock(day=lambda: TODAY))
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two offices made and introduced to each other through the command line (once per module)."""
    folder = tmp_path_factory.mktemp("cli-offices")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD"):
            mp.delenv(name, raising=False)
        for code, name, region, emp in (("NC01", "南昌市社保局", "360100", EMP_NC),
                                        ("BJ01", "北京市朝阳区社保中心", "110105", EMP_BJ)):
            db = str(folder / f"{code}.db")
            _cli_json("--db", db, "init", "--office", code, "--office-name", name, "--region", region)
            _cli_json("--db", db, "wage", "set", "--region", region[:2] + "0000", "--year", "2026",
                      "--monthly", "6000")
            _cli_json("--db", db, "employer", "register", "--uscc", uscc(emp), "--name", f"{name}单位",
                      "--risk-class", "2")
            ident = _cli_json("--db", db, "office", "identity", "--out", str(folder / f"{code}.identity.json"))
            assert ident["code"] == code and ident["fingerprint"]
        trusted = _cli_json("--db", str(folder / "NC01.db"), "office", "trust", str(folder / "BJ01.identity.json"))
        assert trusted["trusted"]["code"] == "BJ01"
        trusted = _cli_json("office", "trust", str(folder / "NC01.identity.json"), "--db", str(folder / "BJ01.db"))
        assert trusted["trusted"]["code"] == "NC01"
    return {"a": folder / "NC01.db", "b": folder / "BJ01.db"}


@pytest.fixture
def two(pair: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Copies of the two offices for one test."""
    for name in ("SHEBAO_DB", "SHEBAO_USER", "SHEBAO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    out = []
    for key in ("a", "b"):
        target = tmp_path / pair[key].name
        shutil.copy(pair[key], target)
        out.append(str(target))
    return out[0], out[1]


def test_export_import_status(two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two
    ok(capsys, "--db", a, "worker", "register", "--id-number", ID_1, "--name", "张三", "--hukou-region", "510107",
       "--hukou-type", "rural")
    ok(capsys, "--db", a, "contrib", "record", "--worker", ID_1, "--employer", uscc(EMP_NC), "--month", "2026-10",
       "--wage", "5000")
    status = ok(capsys, "--db", a, "sync", "status")
    assert status["pending_changes"] == 1 + 1 + 4 and status["open_conflicts"] == 0 and status["gaps"] == []
    assert [o["code"] for o in status["offices"]] == ["BJ01"] and status["offices"][0]["can_receive"]

    f1 = tmp_path / "a-to-b.sync"
    out = ok(capsys, "--db", a, "sync", "export", "--out", str(f1), "--to", "BJ01")
    assert out["file"] == str(f1) and out["changes"] == 6
    assert out["sha256"] == hashlib.sha256(f1.read_bytes()).hexdigest()
    assert ok(capsys, "--db", a, "sync", "status")["pending_changes"] == 0

    r = ok(capsys, "--db", b, "sync", "import", str(f1))
    assert (r["applied"], r["already_applied"], r["conflicts"]) == (6, 0, 0)
    assert r["sender"] == "NC01" and r["held"] == 0 and r["gaps"] == []
    assert ok(capsys, "--db", b, "worker", "show", ID_1)["worker"]["name"] == "张三"
    account = ok(capsys, "--db", b, "account", ID_1)["schemes"]["pension"]
    assert account == ok(capsys, "--db", a, "account", ID_1)["schemes"]["pension"]
    status = ok(capsys, "--db", b, "sync", "status")
    nc = status["offices"][0]
    assert nc["code"] == "NC01" and nc["applied_seq"] == 6 and nc["last_import"] and nc["last_export"] is None

    code, data, err = run(capsys, "--db", b, "--json", "--lang", "en", "sync", "import", str(f1))
    assert code == 4 and data["error"]["code"] == "conflict" and "already imported" in data["error"]["message"]
    assert "already imported" in err

    code, text, _ = run(capsys, "--db", b, "sync", "status")
    assert code == 0 and "NC01" in text


@pytest.mark.parametrize(("content", "reason"), [
    (b"%PDF-1.7\n%%EOF\n", "not a Shebao Desk sync file"),
    (b"", "not a Shebao Desk sync file"),
    (b"SHEBAO-SYNC\n\x00\x00", "incomplete"),
])
def test_bad_file_exit_4(two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         content: bytes, reason: str) -> None:
    a, b = two
    bad = tmp_path / "bad.sync"
    bad.write_bytes(content)
    code, data, err = run(capsys, "--db", b, "--json", "--lang", "en", "sync", "import", str(bad))
    assert code == 4
    assert data["error"]["code"] == "integrity" and reason in data["error"]["message"]
    assert reason in err
    code, data, _ = run(capsys, "--db", b, "--json", "sync", "import", str(bad))
    assert code == 4 and data["error"]["message"]  # Chinese by default
    good = tmp_path / "good.sync"
    ok(capsys, "--db", a, "sync", "export", "--out", str(good), "--to", "BJ01")
    assert ok(capsys, "--db", b, "sync", "import", str(good))["applied"] == 1


def test_flipped_byte_and_other_refusals(two: tuple[str, str], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two
    f = tmp_path / "f.sync"
    ok(capsys, "--db", a, "sync", "export", "--out", str(f), "--to", "BJ01")
    raw = bytearray(f.read_bytes())
    raw[-5] ^= 0x40
    bad = tmp_path / "flipped.sync"
    bad.write_bytes(bytes(raw))
    code, data, _ = run(capsys, "--db", b, "--json", "--lang", "en", "sync", "import", str(bad))
    assert code == 4 and data["error"]["code"] == "integrity" and "signature" in data["error"]["message"]
    code, data, _ = run(capsys, "--db", a, "--json", "sync", "import", str(f))
    assert code == 4 and data["error"]["code"] == "conflict"  # the office's own file
    code, data, _ = run(capsys, "--db", a, "--json", "sync", "export", "--out", str(tmp_path / "x.sync"),
                        "--to", "SH01")
    assert code == 3 and data["error"]["code"] == "refused"
    code, data, _ = run(capsys, "--db", a, "--json", "sync", "import", str(tmp_path / "missing.sync"))
    assert code == 2 and data["error"]["code"] == "invalid_input"
    assert ok(capsys, "--db", b, "sync", "import", str(f))["applied"] == 1


def test_conflicts_resolve_and_duplicates(two: tuple[str, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two
    for db, emp, months in ((a, EMP_NC, ("2026-01", "2026-02")), (b, EMP_BJ, ("2026-02", "2026-03"))):
        ok(capsys, "--db", db, "worker", "register", "--id-number", ID_1, "--name", "张三", "--hukou-region",
           "510107", "--hukou-type", "rural")
        for m in months:
            ok(capsys, "--db", db, "contrib", "record", "--worker", ID_1, "--employer", uscc(emp), "--month", m,
               "--wage", "5000")
    for db, phone in ((a, "13800000001"), (b, "13900000002")):
        led = Ledger.open(db, clock=lambda: TODAY)
        led.workers.update(ID_1, phone=phone)
        led.close()
    for src, dst, to in ((a, b, "BJ01"), (b, a, "NC01")):
        f = tmp_path / f"to-{to}.sync"
        ok(capsys, "--db", src, "sync", "export", "--out", str(f), "--to", to)
        assert ok(capsys, "--db", dst, "sync", "import", str(f))["conflicts"] == 1
    shown = [ok(capsys, "--db", db, "sync", "conflicts")["conflicts"] for db in (a, b)]
    assert len(shown[0]) == len(shown[1]) == 1
    c = shown[0][0]
    assert c["table"] == "worker" and c["key"] == ID_1 and c["winner"] == shown[1][0]["winner"]
    assert [d["field"] for d in c["differences"]] == ["phone"]
    assert ok(capsys, "--db", a, "sync", "status")["open_conflicts"] == 1

    done = ok(capsys, "--db", a, "sync", "resolve", str(c["id"]), "--take", "loser")["conflict"]
    assert done["resolution"] == "loser" and done["id"] == c["id"]
    assert ok(capsys, "--db", a, "sync", "conflicts")["conflicts"] == []
    assert [x["id"] for x in ok(capsys, "--db", a, "sync", "conflicts", "--all")["conflicts"]] == [c["id"]]
    code, data, _ = run(capsys, "--db", a, "--json", "sync", "resolve", str(c["id"]), "--take", "winner")
    assert code == 4 and data["error"]["code"] == "conflict"
    loser_phone = c["differences"][0]["loser"]
    f = tmp_path / "resolved.sync"
    ok(capsys, "--db", a, "sync", "export", "--out", str(f), "--to", "BJ01")
    assert ok(capsys, "--db", b, "sync", "import", str(f))["conflicts"] == 0
    for db in (a, b):
        led = Ledger.open(db, clock=lambda: TODAY)
        assert led.workers.get(ID_1).phone == loser_phone
        led.close()

    for db in (a, b):
        dup = ok(capsys, "--db", db, "sync", "duplicates")["duplicates"]
        assert dup == [{"worker": ID_1, "name": "张三", "month": "2026-02", "regions": ["110105", "360100"]}]
        assert ok(capsys, "--db", db, "sync", "duplicates", "--worker", ID_1)["duplicates"] == dup


def test_outbox(two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two
    box = tmp_path / "outbox"
    code, data, _ = run(capsys, "--db", a, "--json", "sync", "outbox")
    assert code == 2 and data["error"]["code"] == "invalid_input"  # no outbox folder yet
    code, data, _ = run(capsys, "--db", a, "--json", "sync", "outbox", "--set", str(box))
    assert code == 2  # the folder must exist
    box.mkdir()
    assert ok(capsys, "--db", a, "sync", "outbox", "--set", str(box))["outbox"] == str(box)
    assert ok(capsys, "--db", a, "sync", "status")["outbox"] == str(box)
    out = ok(capsys, "--db", a, "sync", "outbox")
    written = Path(out["file"])
    assert written.parent == box and written.exists() and written.name.startswith("NC01-")
    assert out["to"] == ["BJ01"] and out["sha256"] == hashlib.sha256(written.read_bytes()).hexdigest()
    assert ok(capsys, "--db", b, "sync", "import", str(written))["applied"] == out["changes"]
    other = tmp_path / "other"
    other.mkdir()
    assert Path(ok(capsys, "--db", a, "sync", "outbox", "--folder", str(other))["file"]).parent == other
    assert ok(capsys, "--db", a, "sync", "outbox", "--set", "")["outbox"] is None
    assert ok(capsys, "--db", a, "sync", "status")["outbox"] is None
