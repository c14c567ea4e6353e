"""Render shebao-desk.svg to shebao-desk.png (256x256) and shebao-desk.ico (16 to 256 pixels).

Run with an interpreter that has PySide6 (the project's .venv): `python packaging/icons/make_icons.py`.
The .ico holds one PNG image a size, which Windows Vista and later read.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon as PNG bytes, `size` pixels square."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding the PNG `images` (size, bytes)."""
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries, bodies = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(bodies))
        bodies += png
    return head + entries + bodies


def main() -> int:
    """Write the PNG and the ICO beside the SVG."""
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    renderer = QSvgRenderer(str(HERE / "shebao-desk.svg"))
    if not renderer.isValid():
        print("shebao-desk.svg could not be read", file=sys.stderr)
        return 1
    (HERE / "shebao-desk.png").write_bytes(render(renderer, 256))
    (HERE / "shebao-desk.ico").write_bytes(ico([(size, render(renderer, size)) for size in ICO_SIZES]))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
