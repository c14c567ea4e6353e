"""Restoring another office's backup turns this office into that one: refused unless confirmed a
second time with that office's code (CLI --other-office, the window: typed); the same office as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY
from test_cli import run
from test_security_support import PASSWORD, as_, fast_hashing, staffed, staffed_template

from desktop.core.errors import Conflict
from desktop.core.ledger import Ledger

__all__ = ["fast_hashing", "staffed", "staffed_template"]


@pytest.fixture
def two_offices(staffed: Ledger, tmp_path: Path) -> Iterator[tuple[Ledger, Path, Path]]:
    """(this office OFF02 with its administrator boss signed in, OFF01's backup, the key)."""
    key = tmp_path / "office.key"
    file = as_(staffed, "admin1").backups.backup(tmp_path / "off01.sbk", key).file
    here = Ledger.open(tmp_path / "here.db", clock=lambda: TODAY)
    here.office.init("OFF02", "南昌县社保局", "360100")
    here.users.create_first_admin("boss", PASSWORD)
    here.sign_in("boss", PASSWORD)
    yield here, file, key
    here.close()


def test_another_offices_backup_needs_its_code_a_second_time(two_offices: tuple[Ledger, Path, Path]) -> None:
    here, file, key = two_offices
    for confirmation in (None, "OFF02", "OFF0", "off01"):
        with pytest.raises(Conflict) as err:
            here.backups.restore(file, key, force=True, other_office=confirmation)
        assert err.value.key == "restore.other_office" and err.value.field == "file"
    assert err.value.message() == (
        "文件：备份属于另一个经办机构：OFF01 南昌市社保局；本数据库是 OFF02 南昌县社保局。恢复后本数据库将变成"
        "OFF01 南昌市社保局的数据，本机构的数据被替换（先另存一份）。确要恢复，请再次确认：命令行加 "
        "--other-office OFF01，窗口中输入对方机构代码 OFF01")
    assert "this database is OFF02 南昌县社保局" in err.value.message("en")
    assert here.office.get().code == "OFF02" and here.actor is not None  # nothing happened
    done = here.backups.restore(file, key, force=True, other_office=" OFF01 ")
    assert done.office == "OFF01" and done.kept is not None and done.kept.exists()
    assert as_(here, "admin1").office.get().code == "OFF01"


def test_the_same_offices_backup_needs_force_only(staffed: Ledger, tmp_path: Path) -> None:
    key = tmp_path / "office.key"
    file = as_(staffed, "admin1").backups.backup(tmp_path / "off01.sbk", key).file
    assert staffed.backups.restore(file, key, force=True).office == "OFF01"


def test_the_command_line_needs_other_office(two_offices: tuple[Ledger, Path, Path], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    here, file, key = two_offices
    db = str(here.engine.url.database)
    here.close()
    monkeypatch.delenv("SHEBAO_DB", raising=False)
    monkeypatch.setenv("SHEBAO_USER", "boss")
    monkeypatch.setenv("SHEBAO_PASSWORD", PASSWORD)
    code, data, _ = run(capsys, "--db", db, "--json", "--lang", "en", "restore", str(file), "--key", str(key),
                        "--force")
    assert code == 4 and data["error"]["key"] == "restore.other_office"
    assert "another office, OFF01 南昌市社保局; this database is OFF02 南昌县社保局" in data["error"]["message"]
    code, data, _ = run(capsys, "--db", db, "--json", "restore", str(file), "--key", str(key), "--force",
                        "--other-office", "OFF02")
    assert code == 4 and "--other-office OFF01" in data["error"]["message"]
    code, data, _ = run(capsys, "--db", db, "--json", "restore", str(file), "--key", str(key), "--force",
                        "--other-office", "OFF01")
    assert code == 0 and data["office"] == "OFF01" and data["kept"]
