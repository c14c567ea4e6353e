"""An office made by an earlier release keeps everything when this version opens it: every
person's record and account, the audit chain, every document's verification code, the accounts
and the sync peer; and that release then refuses the upgraded database (no downgrade).

Every release in packaging/releases.toml is tried (so both the latest migrations alone and the
whole chain run on a real office), each taken from this repository's
history (`git archive` of its commit) and run as that release was installed: from its own source
tree. Each program runs in a process of its own, from a folder outside both trees.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2

from desktop import __version__
from desktop.core.store.engine import SCHEMA_REVISION

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Counter-2026!"
FIRST = "First-Counter-31!"
PEOPLE = ("510107198511113215", "360102199003071543")
EMP_B = EMPLOYER_2


def releases() -> list[dict[str, str]]:
    """The releases named in packaging/releases.toml, oldest first."""
    return [dict(r) for r in tomllib.loads((ROOT / "packaging/releases.toml").read_text(encoding="utf-8"))["release"]]


def keys_in_database(release: dict[str, str]) -> bool:
    """Whether the release kept the office's private keys in the database (before schema 0013)."""
    return release["schema"] < "0013"


@pytest.fixture(scope="module", params=releases(), ids=lambda r: r["version"])
def release(request: pytest.FixtureRequest) -> dict[str, str]:
    """One earlier release."""
    return dict(request.param)


@pytest.fixture(scope="module")
def old_tree(release: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release's source tree, from git history."""
    folder = tmp_path_factory.mktemp(f"release-{release['version']}")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", release["commit"]],
                             capture_output=True, timeout=120, check=False)
    assert archive.returncode == 0, (
        f"release {release['version']} ({release['commit']}) is not in this clone's history: "
        f"{archive.stderr.decode(errors='replace')}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True, timeout=120)
    assert "__version__ = \"" + release["version"] + "\"" in (folder / "desktop/__init__.py").read_text()
    return folder


class Program:
    """One version of the `shebao` command line, run in its own process."""

    def __init__(self, tree: Path, work: Path, env: dict[str, str] | None = None) -> None:
        self.tree, self.work, self.env = tree, work, env or {}

    def run(self, db: Path, *args: str, user: str = "chief", password: str = PASSWORD, new: str = PASSWORD,
            code: int = 0) -> Any:
        """Run `shebao --json ARGS` as `user` (the administrator "admin", the supervisor "chief");
        an account made or a password changed here gets `new`."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHEBAO_")}
        env.update(PYTHONPATH=str(self.tree), SHEBAO_DB=str(db), PYTHONDONTWRITEBYTECODE="1",
                   SHEBAO_USER=user, SHEBAO_PASSWORD=password, SHEBAO_NEW_PASSWORD=new, **self.env)
        done = subprocess.run([sys.executable, "-m", "desktop.cli", "--json", *args], cwd=self.work, env=env,
                              capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.fixture(scope="module")
def upgraded(release: dict[str, str], old_tree: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Two offices made by the release, what it said of them, then opened by this one."""
    work = tmp_path_factory.mktemp("offices")
    # this version keeps the offices' keys in a key store (its passphrase in the environment, as a
    # nightly script would have it): keys an older release kept in the database move out when it is
    # first opened; a release that kept them in a store too is given the same store
    store = {"SHEBAO_KEY_DIR": str(work / "keys"), "SHEBAO_KEY_PASSPHRASE": "upgrade passphrase 2026"}
    old = Program(old_tree, work, None if keys_in_database(release) else store)
    new = Program(ROOT, work, store)
    a, b = work / "NC01.db", work / "JDZ01.db"
    for db, code, name, region, emp in ((a, "NC01", "南昌市社保局", "360100", EMPLOYER),
                                        (b, "JDZ01", "景德镇市社保局", "360200", EMP_B)):
        old.run(db, "init", "--office", code, "--office-name", name, "--region", region, user="admin")
        old.run(db, "user", "add", "chief", "--role", "supervisor", user="admin", new=FIRST)
        old.run(db, "user", "passwd", password=FIRST)  # a first password must be changed
        for year in ("2025", "2026"):
            old.run(db, "wage", "set", "--region", "360000", "--year", year, "--monthly", "6000", user="admin")
        # the shipped crediting rates end at 2024; a statement refuses a past year without one
        for year in range(2025, date.today().year):
            old.run(db, "interest", "set", "--year", str(year), "--rate", "0.025", user="admin")
        old.run(db, "employer", "register", "--uscc", emp, "--name", f"{name}单位", "--risk-class", "2")
        old.run(db, "office", "identity", "--out", str(work / f"{code}.json"), user="admin")
    old.run(a, "office", "trust", str(work / "JDZ01.json"), user="admin")
    old.run(b, "office", "trust", str(work / "NC01.json"), user="admin")
    old.run(a, "user", "add", "clerk1", "--role", "clerk", user="admin", new=FIRST)
    old.run(a, "worker", "register", "--id-number", PEOPLE[0], "--name", "张三", "--hukou-region", "510107",
            "--hukou-type", "rural", "--phone", "13800138000")
    old.run(a, "worker", "register", "--id-number", PEOPLE[1], "--name", "李四", "--hukou-region", "360102",
            "--hukou-type", "urban")
    for month, wage in (("2025-11", "5000"), ("2025-12", "5000"), ("2026-01", "7123.45"), ("2026-02", "7123.45")):
        old.run(a, "contrib", "record", "--worker", PEOPLE[0], "--employer", EMPLOYER, "--month", month, "--wage", wage)
    declaration = work / "declaration.csv"
    declaration.write_text("employer_uscc,id_number,name,month,wage\n"
                           f"{EMPLOYER},{PEOPLE[1]},李四,2026-01,12000\n{EMPLOYER},{PEOPLE[1]},李四,2026-02,30000\n",
                           encoding="utf-8")
    old.run(a, "contrib", "import", str(declaration))
    old.run(a, "contrib", "record", "--worker", PEOPLE[1], "--employer", EMPLOYER, "--month", "2026-03",
            "--wage", "12000", "--arrears")
    documents = [old.run(a, "print", "statement", person, "--out", str(work / f"{person}.pdf")) for person in PEOPLE]
    old.run(a, "sync", "export", "--out", str(work / "a1.sbs"), "--to", "JDZ01")
    old.run(b, "sync", "import", str(work / "a1.sbs"))
    before = {
        "year": date.today().year,  # before the accounts are read (as_of)
        "accounts": {p: old.run(a, "account", p) for p in PEOPLE},
        "workers": {p: old.run(a, "worker", "show", p) for p in PEOPLE},
        "audit": old.run(a, "audit", "verify"),
        "users": old.run(a, "user", "list", user="admin"),
        "documents": {p: old.run(a, "document", "list", p) for p in PEOPLE},
        "sync": old.run(a, "sync", "status"),
        "b_accounts": {p: old.run(b, "account", p) for p in PEOPLE[:1]},
    }
    assert before["audit"]["valid"] is True and before["audit"]["entries"] > 20
    with sqlite3.connect(a) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == release["schema"]
    yield {"old": old, "new": new, "a": a, "b": b, "work": work, "before": before, "documents": documents,
           "release": release}


def as_of(view: dict[str, Any], year: int) -> dict[str, Any]:
    """An account view as it reads in `year`: when the clock has passed into a later year since (the
    suite also runs from the last minute of a year), the account's rows from `year` on and whether
    every past year's crediting rate is known are left out, as a new year changes them."""
    if date.today().year == year:
        return view
    pension = dict(view["schemes"]["pension"])
    pension.pop("interest_complete")
    pension["years"] = [y for y in pension["years"] if y["year"] < year]
    return {**view, "schemes": {**view["schemes"], "pension": pension}}


def test_every_record_the_trail_and_the_documents_survive_the_upgrade(upgraded: dict[str, Any]) -> None:
    new, a, before = upgraded["new"], upgraded["a"], upgraded["before"]
    audit = new.run(a, "audit", "verify")  # the first open migrates, after a copy of the file
    assert audit["valid"] is True and audit["entries"] >= before["audit"]["entries"]
    copies = sorted(p.name for p in a.parent.glob("NC01.db.before-*.bak"))
    release = upgraded["release"]
    assert len(copies) == 1 and copies[0].startswith(f"NC01.db.before-{release['schema']}-")
    with sqlite3.connect(a) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_REVISION,)
        noted = [v for (v,) in conn.execute("SELECT version FROM program_release")]  # from 0.2.0 on
        assert noted == ([__version__] if release["schema"] < "0011" else [release["version"], __version__])
    for person in PEOPLE:
        assert as_of(new.run(a, "account", person), before["year"]) == as_of(before["accounts"][person],
                                                                             before["year"])
        assert new.run(a, "worker", "show", person) == before["workers"][person]
        assert new.run(a, "document", "list", person) == before["documents"][person]
    def accounts(data: dict[str, Any]) -> list[dict[str, Any]]:  # sign-ins since move last_sign_in
        return [{k: v for k, v in u.items() if k != "last_sign_in"} for u in data["users"]]

    assert accounts(new.run(a, "user", "list", user="admin")) == accounts(before["users"])
    assert new.run(a, "sync", "status") == before["sync"]
    for doc in upgraded["documents"]:
        by_code = new.run(a, "verify", doc["verification_code"])
        assert by_code["valid"] is True and by_code["number"] == doc["number"]
        by_file = new.run(a, "verify", doc["pdf"])
        assert by_file["valid"] is True and by_file["number"] == doc["number"]
    # the original money survived to the fen: 4 months of 张三, the half-fen wage included
    pension = before["accounts"][PEOPLE[0]]["schemes"]["pension"]
    assert pension["months_paid"] == 4
    # the office goes on working: a new month recorded, and the sync peer receives it
    new.run(a, "contrib", "record", "--worker", PEOPLE[0], "--employer", EMPLOYER, "--month", "2026-03",
            "--wage", "7123.45")
    assert new.run(a, "account", PEOPLE[0])["schemes"]["pension"]["months_paid"] == 5
    work = upgraded["work"]
    new.run(a, "sync", "export", "--out", str(work / "a2.sbs"), "--to", "JDZ01")
    applied = new.run(upgraded["b"], "sync", "import", str(work / "a2.sbs"))
    assert applied is not None
    assert new.run(a, "audit", "verify")["valid"] is True
    assert new.run(upgraded["b"], "audit", "verify")["valid"] is True
    moved = keys_in_database(upgraded["release"])
    for db in (a, upgraded["b"]):  # the keys are out of the database (moved out on the first open)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT private_key, enc_private_key FROM office").fetchone() == (None, None)
        status = new.run(db, "office", "keys", "status", user="admin")["key_store"]
        assert status["in_database"] is False and status["unlocked"] is True
        # moved keys were exposed, so replaced at once: the store keeps both pairs (files on their way
        # to the old encryption key still open), and the old signing key is revoked from the next day;
        # keys a release kept in the store stay as they were
        history = new.run(db, "office", "keys", "history", user="admin")["keys"]
        assert {k["key_id"] for k in status["stored"]} == {k["key_id"] for k in history}
        assert len(history) == (4 if moved else 2)
        current = {k["purpose"]: k["key_id"] for k in history if k["current"]}
        assert current == {"sign": status["signing_key"], "encrypt": status["encryption_key"]}
        old_sign = [k for k in history if k["purpose"] == "sign" and not k["current"]]
        if moved:
            assert len(old_sign) == 1 and old_sign[0]["revoked_at"] is not None
            assert old_sign[0]["revoked_at"].endswith(" 00:00:00")
        else:
            assert old_sign == [] and all(k["revoked_at"] is None for k in history)


def test_the_previous_release_refuses_the_upgraded_database(upgraded: dict[str, Any]) -> None:
    a = upgraded["a"]
    upgraded["new"].run(a, "audit", "verify")  # opened (and so upgraded) by this version
    refused = upgraded["old"].run(a, "audit", "verify", code=4)
    assert refused["error"]["key"] == "db.newer" and SCHEMA_REVISION in refused["error"]["message"]


def test_an_older_version_with_the_same_schema_is_refused_too(upgraded: dict[str, Any], tmp_path: Path) -> None:
    copy = tmp_path / "office.db"
    upgraded["new"].run(upgraded["a"], "audit", "verify")
    with sqlite3.connect(upgraded["a"]) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as conn:  # as a later release would leave it
        conn.execute("INSERT INTO program_release (version, first_opened) VALUES ('99.0.0', '2030-01-01 00:00:00')")
    refused = upgraded["new"].run(copy, "--lang", "en", "audit", "verify", code=4)
    assert refused["error"]["key"] == "db.newer_program"
    assert "99.0.0" in refused["error"]["message"] and __version__ in refused["error"]["message"]
    with sqlite3.connect(copy) as conn:  # nothing was written by the refused program
        noted = sorted(v for (v,) in conn.execute("SELECT version FROM program_release"))
        made_by = [upgraded["release"]["version"]] if upgraded["release"]["schema"] >= "0011" else []
        assert noted == sorted([*made_by, __version__, "99.0.0"])
