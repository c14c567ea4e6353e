"""The README's page images (desktop/core/pages.py): every kind of form is in the generator's list,
and a small demo office gives real, non-blank pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageStat

from desktop.core import pages, security

ROOT = Path(__file__).resolve().parents[1]


def test_every_form_kind_has_a_page_image_and_a_readme_row() -> None:
    kinds = {path.name.split(".v")[0] for path in (ROOT / "forms").glob("*.toml")}
    assert kinds == set(pages.KINDS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in pages.KINDS:
        assert f"| `{kind}` |" in readme, kind
        assert f"(resources/pages/{kind}.png)" in readme, kind
        assert (ROOT / "resources" / "pages" / f"{kind}.png").stat().st_size < 150_000, kind


def test_a_small_demo_office_gives_the_statement_and_the_transfer_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "SCRYPT", security.ScryptCost(4, 8, 1))  # quick sign-ins
    made = pages.render_pages(tmp_path, ["statement", "transfer-report"], people=12, months=14)
    assert made == [tmp_path / "statement.png", tmp_path / "transfer-report.png"]
    for path in made:
        with Image.open(path) as image:
            assert image.mode == "P" and image.size == (827, 1170)  # A4 at 100 dpi
            grey = image.convert("L")
            assert ImageStat.Stat(grey).extrema[0] == (0, 255)  # black print on white paper
            inked = sum(grey.histogram()[:128])  # pixels darker than mid-grey
            assert inked > 5_000, path.name
    with pytest.raises(ValueError, match="unknown kinds: letter"):
        pages.render_pages(tmp_path, ["letter"])
