"""How `desktop/core/sync/dictionary_2.py`, the change log's codec-2 dictionary, was made.

Run on demand (it writes the module; a dictionary never changes once a release has stored data
with it, so this is kept to show how it was made and to make the next one, with a new codec tag):

    cd /work/main && PYTHONPATH=. .venv/bin/python -m tests.bench.train_dictionary [--size 4096] [--out FILE]

The corpus is the change data of two synthetic offices made the two ways this repository makes
offices: the county benchmark's (tests/bench/bench_ledger.py: 3,000 people, one declaration CSV a
month for 3 months) and the demo office's (desktop/core/demo.py: 300 people over 36 months, with
back payments, arrears, a certificate and a transfer). 10,000 changes of each, drawn with a fixed
seed, train a Zstandard dictionary (python-zstandard's `train_dictionary`, the COVER algorithm).
What it holds is the structure every office repeats (the data arrays' shapes, scheme and kind
names, the date and number forms); the names and numbers themselves are synthetic. It prints the
mean stored size of held-out changes of each office with codec 1 and with the new dictionary.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import random
import sys
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import zstandard
from sqlalchemy.orm import Session

from desktop.core.demo import build_demo
from desktop.core.ledger import Ledger
from desktop.core.store.engine import make_engine
from desktop.core.sync import capture, stored
from tests.bench import bench_ledger as bench
from tests.bench.office_keys import throwaway_keys

SEED = 20261205
TARGET = Path(__file__).resolve().parents[2] / "desktop/core/sync/dictionary_2.py"


def county(folder: Path) -> Path:
    """The county benchmark's office after three months of declarations."""
    rng = random.Random(SEED)
    path = folder / "county.sqlite"
    ledger = Ledger.open(path, clock=lambda: bench.TODAY)
    people = bench.make_people(rng, 3000, (1960, 2000), set())
    codes = bench.setup(ledger, people)
    employer = [rng.choice(codes) for _ in people]
    wages = [rng.randrange(260000, 1600000) for _ in people]
    months = bench.months_ending(bench.LAST, 3)
    for month in months:
        ledger.contributions.import_file(
            bench.write_declaration(folder / f"d-{month}.csv", people, employer, wages, [month], months[0]))
    ledger.close()
    return path


def demo(folder: Path) -> Path:
    """The demo office (300 people, 36 months)."""
    path = folder / "demo.sqlite"
    ledger = Ledger.open(path, clock=lambda: dt.date(2026, 11, 23))
    build_demo(ledger, people_count=300, months=36)
    ledger.close()
    return path


def change_data(path: Path) -> list[bytes]:
    """Every change's data text (UTF-8) in an office's log, by origin and number (those kept by
    reference to their rows made from them, as they travel)."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            return [change[6].encode() for change in capture.every_change(session)]
    finally:
        engine.dispose()


def deflate_1(raw: bytes) -> bytes:
    """Codec 1: raw deflate with its preset dictionary."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 1, zlib.Z_DEFAULT_STRATEGY, stored.DICT_1)
    return packer.compress(raw) + packer.flush()


def module_text(dictionary: bytes, size: int) -> str:
    """The module that carries the dictionary."""
    text = base64.b64encode(dictionary).decode()
    lines = "\n".join(f'    "{text[i:i + 96]}"' for i in range(0, len(text), 96))
    return (
        '"""The change log\'s codec-2 dictionary (Zstandard): made once by tests/bench/train_dictionary.py\n'
        f"({size} bytes, trained on two synthetic offices' change data). Never edit: stored data needs it.\n"
        '"""\n\n'
        f'SHA256 = "{hashlib.sha256(dictionary).hexdigest()}"\n'
        f"DICTIONARY = (\n{lines}\n)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4096, help="dictionary size in bytes")
    parser.add_argument("--out", type=Path, default=TARGET, help="the module to write")
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="shebao-dict-") as tmp:
        folder = Path(tmp)
        throwaway_keys(folder)
        corpora = {"county": change_data(county(folder)), "demo": change_data(demo(folder))}
    train: list[bytes] = []
    held: dict[str, list[bytes]] = {}
    for name, data in corpora.items():
        rng.shuffle(data)
        train += data[:10000]
        held[name] = data[10000:20000]
    dictionary = zstandard.train_dictionary(args.size, train).as_bytes()
    params = zstandard.ZstdCompressionParameters.from_level(  # as desktop/core/sync/stored.py packs
        stored.ZSTD_LEVEL, format=zstandard.FORMAT_ZSTD1_MAGICLESS, write_content_size=1, write_checksum=0,
        write_dict_id=0)
    packer = zstandard.ZstdCompressor(dict_data=zstandard.ZstdCompressionDict(dictionary), compression_params=params)
    for name, data in held.items():
        old = sum(1 + min(len(d), len(deflate_1(d))) for d in data) / len(data)
        new = sum(1 + len(packer.compress(d)) for d in data) / len(data)
        print(f"{name}: {len(data)} held-out changes, {sum(map(len, data)) / len(data):.1f} B as text, "
              f"{old:.1f} B with codec 1, {new:.1f} B with the new dictionary")
    args.out.write_text(module_text(dictionary, args.size), encoding="utf-8")
    print(f"wrote {args.out} ({len(dictionary)} bytes, sha256 {hashlib.sha256(dictionary).hexdigest()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
