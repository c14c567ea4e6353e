"""The benchmarks' offices keep their signing keys in the run's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path


def throwaway_keys(folder: Path) -> None:
    """Key store in folder/keys, sealed with a fixed passphrase (inherited by child processes):
    a benchmark's office never touches the user's key store, and its keys go with its folder."""
    os.environ["SHEBAO_KEY_DIR"] = str(folder / "keys")
    os.environ["SHEBAO_KEY_PASSPHRASE"] = "bench-office-key-passphrase"
