"""Region codes (GB/T 2260): names, validity years and the province/prefecture of a code.

The table lives in resources/regions.csv. It is built from python-stdnum's cn/loc data (which
records every code ever assigned, with the years it was in use) by `build_regions_csv`; the
office may add rows to resources/regions-local.csv for codes the table does not know yet.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop.core.errors import InvalidInput
from desktop.core.paths import resources_dir

_CODE_RE = re.compile(r"^\d{6}$")
NATIONAL = "000000"


@dataclass(frozen=True, slots=True)
class Region:
    """One use of a region code: its name and the years it was in use (None = open)."""

    code: str
    name: str
    from_year: int | None
    to_year: int | None


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Region, ...]]:
    table: dict[str, list[Region]] = {}
    for name in ("regions.csv", "regions-local.csv"):
        path = resources_dir() / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                region = Region(
                    row["code"],
                    row["name"],
                    int(row["from_year"]) if row["from_year"] else None,
                    int(row["to_year"]) if row["to_year"] else None,
                )
                table.setdefault(region.code, []).append(region)
    return {code: tuple(uses) for code, uses in table.items()}


def province_of(code: str) -> str:
    """The province code XX0000 of a region code."""
    return code[:2] + "0000"


def prefecture_of(code: str) -> str:
    """The prefecture code XXXX00 of a region code."""
    return code[:4] + "00"


def ever_valid(code: str) -> bool:
    """Whether the code is, or ever was, an assigned region code."""
    return code in _table()


def name_of(code: str) -> str:
    """The current (or last) name of a region, with its province and prefecture."""
    if code not in _table():
        return code
    return "".join(_name_parts(code))


def _name_parts(code: str) -> list[str]:
    """The names of a known region's province, prefecture and its own, as `name_of` joins them."""
    own = name_of_plain(code)
    parts: list[str] = []
    for parent in (province_of(code), prefecture_of(code)):
        if parent != code and parent in _table():
            pname = name_of_plain(parent)
            if pname not in ("市辖区", "县") and pname not in parts:
                parts.append(pname)
    parts.append(own)
    return parts


def name_of_plain(code: str) -> str:
    """The region's own current name, without its parents."""
    uses = _table().get(code)
    if not uses:
        return code
    return max(uses, key=lambda r: r.to_year or 9999).name


def validate_region(text: object, field: str = "region") -> str:
    """A 6-digit region code that is or was assigned; otherwise InvalidInput naming the field."""
    code = str(text).strip()
    if not code:
        raise InvalidInput("required", field)
    if not _CODE_RE.match(code):
        raise InvalidInput("region.format", field)
    if not ever_valid(code):
        raise InvalidInput("region.unknown", field, code=code)
    return code


def fallback_chain(code: str) -> list[str]:
    """Where reference values for a region are looked up, most specific first, ending national."""
    chain = [code]
    for parent in (prefecture_of(code), province_of(code), NATIONAL):
        if parent not in chain:
            chain.append(parent)
    return chain


# Names in the table that are only grouping rows, never a place a person is insured in.
_GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"})


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """A region found by a search: its code, its own name and its name with province and prefecture."""

    code: str
    name: str
    full_name: str
    until: int | None = None  # the last year the code was in use; None: in use today


@dataclass(frozen=True, slots=True)
class _Entry:
    match: RegionMatch
    level: int  # 0 province, 1 prefecture, 2 county
    own_full: str
    own_initials: str
    full_full: str
    full_initials: str


@lru_cache(maxsize=1)
def _index() -> tuple[_Entry, ...]:
    """Every region code with the pinyin of its name, for `search` (built once)."""
    from desktop.core import pinyin

    entries = []
    for code, uses in sorted(_table().items()):
        own = name_of_plain(code)
        if own in _GROUPING_NAMES:
            continue
        until = None if any(use.to_year is None for use in uses) else max(use.to_year or 0 for use in uses)
        parts = _name_parts(code)
        syllables = tuple(s for part in parts for s in pinyin.syllables(part))  # each name read once
        level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
        entries.append(_Entry(RegionMatch(code, own, "".join(parts), until), level, pinyin.full(own),
                              pinyin.initials(own), "".join(syllables), "".join(s[0] for s in syllables)))
    return tuple(entries)


def prepare_search() -> int:
    """Build the search index now (reading the pinyin dictionary takes a moment); its size."""
    return len(_index())


def _normal(query: str) -> str:
    return re.sub(r"[\s'’·]+", "", query).lower()


def search(query: str, limit: int = 50, historic: bool = False) -> list[RegionMatch]:
    """Regions in use today whose name contains the Chinese text, whose name's pinyin or pinyin
    initials start with the letters (nanchang, ncs; with the province too: jxsncs), or whose code
    starts with the digits; historic: codes no longer in use too (`until` says to which year), after
    those in use. Closest first: the region's own name before its province's, provinces and
    prefectures before counties."""
    q = _normal(query)
    if not q:
        return []
    found: list[tuple[int, bool, int, str, RegionMatch]] = []
    for e in _index():
        m = e.match
        if m.until is not None and not historic:
            continue
        if q.isdigit():
            rank = 0 if m.code.startswith(q) else -1
        elif q.isascii():
            rank = 0 if e.own_full.startswith(q) or e.own_initials.startswith(q) else \
                1 if e.full_full.startswith(q) or e.full_initials.startswith(q) else -1
        else:
            rank = 0 if m.name.startswith(q) else 1 if q in m.full_name else -1
        if rank >= 0:
            found.append((rank, m.until is not None, e.level, m.code, m))
    found.sort(key=lambda t: t[:4])
    return [t[4] for t in found[:limit]]


def find_exact(text: str) -> str | None:
    """The code of the one region in use today named exactly so (its own name or with its
    province and prefecture), or None when no region or more than one is."""
    name = _normal(text)
    today = [e for e in _index() if e.match.until is None]
    codes = {e.match.code for e in today if name in (e.match.full_name, e.match.name)}
    if len(codes) == 1:
        return codes.pop()
    full = {e.match.code for e in today if e.match.full_name == name}
    return full.pop() if len(full) == 1 else None


_USE_RE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


def build_regions_csv(out: Path) -> int:
    """Write resources/regions.csv from python-stdnum's cn/loc data; returns the row count."""
    import stdnum.cn

    source = Path(stdnum.cn.__file__).parent / "loc.dat"
    rows: list[tuple[str, str, str, str]] = []
    province = ""
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, prop = line.strip().partition(" ")
        value = prop.split("=", 1)[1].strip('"')
        if not line.startswith(" "):
            province = key
            rows.append((province + "0000", value, "", ""))
            continue
        code = province + key
        if code.endswith("0000"):
            continue
        for use in value.split(","):
            match = _USE_RE.match(use)
            if match:
                rows.append((code, match.group(3), match.group(1), match.group(2)))
            else:
                rows.append((code, use, "", ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Region codes (GB/T 2260) with the years each was in use. Source: python-stdnum "
            "cn/loc.dat (compiled from the Chinese Wikipedia lists of administrative division "
            "codes). Rebuild: python -m desktop.core.regions\n"
        )
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "from_year", "to_year"])
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(build_regions_csv(resources_dir() / "regions.csv"))
