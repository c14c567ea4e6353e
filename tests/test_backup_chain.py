"""Backup chains at the level of the file format: any sequence of page edits, growth and shrinking
comes back exactly from its chain, and a wrong link is refused (images are plain bytes here; the
service-level tests in test_backup.py back up real databases)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core import backup as fmt
from desktop.core.errors import IntegrityFailure

PAGE = 512
KEY = bytes(range(32))


def _write_chain(folder: Path, images: list[bytes]) -> list[Path]:
    """Each image as a backup: the first full, each later one an increment of the one before."""
    files: list[Path] = []
    parent: dict[str, Any] | None = None
    previous = b""
    for n, image in enumerate(images):
        plain = folder / f"image{n}"
        plain.write_bytes(image)
        digests = fmt.file_page_digests(plain, PAGE)
        out = folder / f"day{n}.sbk"
        meta = {"office": "OFF01", "dialect": "sqlite"}
        if parent is None:
            header = fmt.encrypt_image(plain, out, KEY, meta, PAGE, digests)
        else:
            changed = fmt.changed_pages(previous, digests)
            header = fmt.encrypt_increment(plain, out, KEY, meta, PAGE, digests, changed, parent)
        parent, previous = {**header, "file": out.name}, bytes(digests)
        plain.unlink()
        files.append(out)
    return files


def _changed_by_hand(before: bytes, after: bytes) -> list[int]:
    """The pages of after that are not the same page of before (compared byte for byte)."""
    old = [before[i:i + PAGE] for i in range(0, len(before), PAGE)]
    return [n for n in range(len(after) // PAGE)
            if n >= len(old) or after[n * PAGE:(n + 1) * PAGE] != old[n]]


@given(st.integers(0, 2**32 - 1), st.lists(st.tuples(st.integers(0, 6), st.integers(-3, 4)), min_size=1,
                                            max_size=5))
def test_every_day_of_a_chain_comes_back_exactly(seed: int, days: list[tuple[int, int]]) -> None:
    rng = random.Random(seed)
    image = bytes(rng.getrandbits(8) for _ in range(PAGE * rng.randint(1, 6)))
    images = [image]
    for edits, grow in days:  # some pages rewritten, then the image grown or cut (never below a page)
        pages = [bytearray(image[i:i + PAGE]) for i in range(0, len(image), PAGE)]
        for _ in range(edits):
            page = pages[rng.randrange(len(pages))]
            page[rng.randrange(PAGE)] ^= 1 + rng.randrange(255)
        if grow > 0:
            pages += [bytearray(rng.randbytes(PAGE)) for _ in range(grow)]
        elif grow < 0:
            pages = pages[:max(1, len(pages) + grow)]
        image = b"".join(pages)
        images.append(image)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = _write_chain(folder, images)
        for n, file in enumerate(files):
            header = fmt.read_header(file)[0]
            if n:
                assert header["changed"] == len(_changed_by_hand(images[n - 1], images[n]))
                assert header["parent"]["file"] == files[n - 1].name and header["depth"] == n
            target = folder / f"restored{n}"
            assert fmt.read_chain(file, KEY, target)["image_digest"] == header["image_digest"]
            assert target.read_bytes() == images[n], n
            assert fmt.read_chain(file, KEY, None) == header  # checked without writing


def test_a_link_from_another_chain_or_altered_is_refused(tmp_path: Path) -> None:
    rng = random.Random(7)
    base = rng.randbytes(PAGE * 4)
    one = tmp_path / "one"
    other = tmp_path / "other"
    one.mkdir()
    other.mkdir()
    files = _write_chain(one, [base, base[:PAGE] + rng.randbytes(PAGE) + base[2 * PAGE:], base + rng.randbytes(PAGE)])
    twins = _write_chain(other, [base, base[:PAGE] + rng.randbytes(PAGE) + base[2 * PAGE:]])
    twins[1].replace(files[1])  # same name, same parent, another image
    with pytest.raises(IntegrityFailure) as err:
        fmt.read_chain(files[2], KEY, None)
    assert (err.value.key, err.value.params["file"], err.value.params["missing"]) == (
        "backup.chain_broken", "day2.sbk", "day1.sbk")
    files = _write_chain(one, [base, base + rng.randbytes(PAGE)])
    header, head, start = fmt.read_header(files[1])
    data = files[1].read_bytes()
    edited = head.replace(b'"pages": 5', b'"pages": 4')  # the header is the chunks' associated data
    files[1].write_bytes(data[:8] + len(edited).to_bytes(4, "big") + edited + data[start:])
    with pytest.raises(IntegrityFailure) as err:
        fmt.read_chain(files[1], KEY, None)
    assert err.value.key == "backup.damaged"
    assert header["pages"] == 5
