"""The Windows backend: each key file's secret protected by DPAPI (CryptProtectData) for the
Windows account that runs the program. No passphrase: Windows unlocks it when that account signs in.

pywin32 is installed on Windows only (pyproject); this module imports it only when called.
"""

from __future__ import annotations

import sys
from typing import Any

NAME = "dpapi"
# CRYPTPROTECT_UI_FORBIDDEN: never show a Windows dialog (a nightly script has no desktop).
_UI_FORBIDDEN = 0x1


def available(platform: str | None = None) -> bool:
    """Whether DPAPI exists on this platform (Windows)."""
    return (platform or sys.platform) == "win32"


def _win32crypt() -> Any:
    import win32crypt  # type: ignore[import-not-found,unused-ignore]

    return win32crypt


def protect(data: bytes, key_id: str) -> bytes:
    """The DPAPI blob of `data`, bound to the key id (as DPAPI's extra entropy)."""
    return bytes(_win32crypt().CryptProtectData(data, f"shebao {key_id}", key_id.encode(),
                                                None, None, _UI_FORBIDDEN))


def unprotect(blob: bytes, key_id: str) -> bytes:
    """The data a DPAPI blob protects (for the account that made it)."""
    _description, data = _win32crypt().CryptUnprotectData(blob, key_id.encode(), None, None, _UI_FORBIDDEN)
    return bytes(data)
