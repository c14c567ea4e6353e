"""Finding a TrueType font with Chinese glyphs that reportlab can embed.

Search order: the SHEBAO_FONT environment variable (a .ttf/.ttc path, optionally `path#index`),
Windows SimSun, SimHei and Microsoft YaHei, then Debian's fonts-wqy-microhei and fonts-wqy-zenhei.
reportlab cannot embed CFF-outline fonts (Noto Sans CJK .otf), and its built-in CID fonts are not
embedded, so they print as boxes on machines without them: neither is used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop.core.errors import ShebaoError

FONT_NAME = "ShebaoCJK"
CANDIDATES: tuple[tuple[str, int], ...] = (
    (r"C:\Windows\Fonts\simsun.ttc", 0),
    (r"C:\Windows\Fonts\simhei.ttf", 0),
    (r"C:\Windows\Fonts\msyh.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)


class FontMissing(ShebaoError):
    """No usable Chinese TrueType font: printing cannot start."""

    exit_code = 1
    code = "font_missing"


@dataclass(frozen=True)
class FontInfo:
    """The font the forms are printed in."""

    name: str
    path: str
    index: int


def _configured() -> list[tuple[str, int]]:
    value = os.environ.get("SHEBAO_FONT", "").strip()
    if not value:
        return []
    path, _, index = value.partition("#")
    return [(path, int(index) if index.isdigit() else 0)]


@lru_cache(maxsize=1)
def cjk_font() -> FontInfo:
    """Register and return the first usable font in the search order."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    tried: list[str] = []
    for path, index in (*_configured(), *CANDIDATES):
        if not Path(path).is_file():
            tried.append(path)
            continue
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
        except (TTFError, OSError) as exc:
            tried.append(f"{path} ({exc})")
            continue
        return FontInfo(FONT_NAME, path, index)
    raise FontMissing("font.missing", None, tried="; ".join(tried))
