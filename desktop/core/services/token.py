"""The office's signing key on a USB key (PKCS#11 token): making it and reporting on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.core.errors import ShebaoError
from desktop.core.keys import key_id
from desktop.core.keystore import pkcs11
from desktop.core.security import ADMIN
from desktop.core.services.office import load_office

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger


@dataclass(frozen=True)
class TokenStatus:
    """Whether the office signs on a token, and how that token is.

    `problem` is the message key of what stops signing (None: nothing found wrong, as far as could
    be checked without the PIN), `problem_params` its parameters."""

    configured: bool
    module: str
    label: str
    key_id: str
    current_key_id: str
    module_found: bool
    token_present: bool
    tokens: tuple[str, ...]
    key_present: bool | None
    problem: str | None = None
    problem_params: tuple[tuple[str, str], ...] = ()


class TokenService:
    """Make the office's signing key on a PKCS#11 token, and report on it."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def init(self, module: str, label: str, pin: str) -> TokenStatus:
        """Generate an Ed25519 key pair on the token and make it the office's current signing key
        (administrator): a key rotation, announced signed by the key before and countersigned by the
        token's, so the offices that trust this one follow through the next sync file."""
        self._ledger.require(ADMIN)
        with self._ledger.read() as s:
            load_office(s)  # an office first
        signer = pkcs11.generate_key(module, label, pin)
        signer = pkcs11.find_key(module, label, signer.key_id, pin)  # a session with this PIN, to sign with
        self._ledger.keys.rotate_to_token(signer)
        return self.status()

    def status(self) -> TokenStatus:
        """The token settings and what can be seen of the token without its PIN."""
        with self._ledger.read() as s:
            office = load_office(s)
            settings = pkcs11.read_settings(s)
            current = key_id(office.public_key)
        if settings is None:
            return TokenStatus(False, "", "", "", current, False, False, (), None)
        module_found, present = False, False
        tokens: tuple[str, ...] = ()
        key_present: bool | None = None
        problem: str | None = None
        params: dict[str, str] = {}
        try:
            tokens = tuple(pkcs11.token_labels(settings.module))
            module_found = True
            present = settings.label in tokens
            if present:
                key_present = pkcs11.public_key_present(settings.module, settings.label, settings.key_id)
                if not key_present:
                    problem, params = "token.key_missing", {"label": settings.label, "key_id": settings.key_id}
            else:
                problem = "token.not_found"
                params = {"label": settings.label, "present": "、".join(tokens) if tokens else "—"}
        except ShebaoError as exc:
            problem, params = exc.key, {k: str(v) for k, v in exc.params.items()}
        if problem is None and settings.key_id != current:
            problem, params = "token.key_not_current", {"label": settings.label, "key_id": settings.key_id}
        return TokenStatus(True, settings.module, settings.label, settings.key_id, current, module_found,
                           present, tokens, key_present, problem, tuple(params.items()))
