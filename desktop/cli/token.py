"""`shebao office keys token-init|token-status`: the office's signing key on a USB key (PKCS#11),
and how the command line gets a token's PIN.

The PIN comes from SHEBAO_TOKEN_PIN, or the first line of the file SHEBAO_TOKEN_PIN_FILE (or
`--pin-file` for token-init), or is typed on a terminal; it stays in this process's memory.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli.texts import zh_en
from desktop.core.errors import InvalidInput, NotAllowed
from desktop.core.keystore import pkcs11
from desktop.core.ledger import Ledger
from desktop.core.messages import render
from desktop.core.services.token import TokenService, TokenStatus


def add_token_parsers(grp: Any) -> None:
    """`token-init` and `token-status` in the `office keys` group."""
    c = grp.add_parser("token-init", help=zh_en(
        "在 USB Key（PKCS#11）上生成 Ed25519 签名密钥，作为本机构当前的签名密钥（需管理员）；PIN 取自 "
        "SHEBAO_TOKEN_PIN、--pin-file 或当场输入",
        "make an Ed25519 signing key on a USB key (PKCS#11) and use it as the office's current "
        "signing key (administrator); PIN from SHEBAO_TOKEN_PIN, --pin-file or a prompt"))
    c.add_argument("--module", required=True, help=zh_en(
        "USB Key 厂商的 PKCS#11 驱动库路径（如 /usr/lib/softhsm/libsofthsm2.so 或 C:\\Windows\\System32\\xxx.dll）",
        "path of the token maker's PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so or "
        "C:\\Windows\\System32\\xxx.dll)"))
    c.add_argument("--token", required=True, help=zh_en("USB Key 的标签", "the token's label"))
    c.add_argument("--pin-file", help=zh_en("从此文件第一行读取 PIN", "read the PIN from this file's first line"))
    c.set_defaults(handler=_token_init)
    grp.add_parser("token-status", help=zh_en(
        "本机构是否用 USB Key 签名，USB Key 是否插入、密钥是否在其上（不需要 PIN）",
        "whether the office signs on a USB key, whether it is plugged in and holds the key (no PIN needed)")
    ).set_defaults(handler=_token_status)


def pin_from_env(label: str) -> str | None:
    """The token's PIN from SHEBAO_TOKEN_PIN or SHEBAO_TOKEN_PIN_FILE, else typed on a terminal
    (None: neither, and no terminal)."""
    pin = os.environ.get("SHEBAO_TOKEN_PIN")
    if pin:
        return pin
    path = os.environ.get("SHEBAO_TOKEN_PIN_FILE")
    if path:
        return _pin_from_file(path, None)
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"USB Key PIN（{label}）: ")
    return None


def _pin_from_file(path: str, field: str | None) -> str:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        if field:
            raise InvalidInput("file.unreadable", field, path=path) from None
        raise NotAllowed("token.pin_needed", None, label="") from None
    return lines[0] if lines else ""


def install_pin_source() -> None:
    """Signatures made during this command ask the environment (or the terminal) for the PIN."""
    pkcs11.set_pin_source(pin_from_env)


def _token_init(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    pin = _pin_from_file(a.pin_file, "pin_file") if a.pin_file else pin_from_env(a.token)
    if not pin:
        raise NotAllowed("token.pin_needed", None, label=a.token)
    return _status(TokenService(ledger).init(a.module, a.token, pin), lang)


def _token_status(ledger: Ledger, a: argparse.Namespace, lang: str) -> dict[str, Any]:
    return _status(TokenService(ledger).status(), lang)


def _status(s: TokenStatus, lang: str) -> dict[str, Any]:
    data = asdict(s)
    data["tokens"] = list(s.tokens)
    params = dict(s.problem_params)
    del data["problem_params"]
    data["problem_message"] = render(s.problem, lang, **params) if s.problem else None
    return {"token": data}
