"""Entry point of the frozen `shebao` (the command line), built by shebao-desk.spec."""

from __future__ import annotations

import sys


def run() -> int:
    """The command line, unless started as the database lock guard."""
    from desktop.core.store.guard import serve_if_asked

    serve_if_asked(sys.argv)
    from desktop.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
