"""Files a command writes for a clerk (a printed PDF), written whole or not at all.

A target is checked before anything else happens (a folder given as the file, a missing folder, a
place this program may not write: InvalidInput naming the field). The bytes go to a temporary file
beside the target, and only a rename puts them in place, so a reader never sees half a file and a
failure leaves nothing behind. `Ledger.writing_file` ties the rename to a unit of work: the file
appears only with the document it registers.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from desktop.core.errors import InvalidInput


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def check_target(path: str | os.PathLike[str], field: str = "out") -> Path:
    """The target file, after checking that a file can be written there (InvalidInput if not)."""
    raw = str(path).strip()
    if not raw:
        raise InvalidInput("required", field)
    target = Path(raw).expanduser()
    if target.is_dir():
        raise InvalidInput("out.is_folder", field, path=raw)
    folder = target.absolute().parent
    if not folder.exists():
        raise InvalidInput("out.no_folder", field, folder=str(folder))
    if not folder.is_dir():
        raise InvalidInput("out.not_a_folder", field, folder=str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput("out.read_only", field, folder=str(folder))
    if target.exists() and not os.access(target, os.W_OK):
        raise InvalidInput("out.file_read_only", field, path=raw)
    return target


def check_folder(path: str | os.PathLike[str], field: str = "out") -> Path:
    """A folder files will be written into, created when missing (InvalidInput if it cannot be)."""
    folder = Path(str(path).strip() or ".").expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput("out.not_a_folder", field, folder=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput("out.write", field, path=str(folder), reason=_reason(exc)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput("out.read_only", field, folder=str(folder))
    return folder


class StagedFile:
    """Bytes for a target, held in a temporary file beside it until `place` renames it in place."""

    def __init__(self, target: Path | None, field: str = "out") -> None:
        self.target = target
        self.field = field
        self._temp: Path | None = None
        self.placed = False

    def write(self, data: bytes, target: Path | None = None) -> Path:
        """Write the bytes to a temporary file beside the target (given here or before)."""
        if target is not None:
            self.target = target
        if self.target is None:
            raise ValueError("no target")
        self._drop_temp()
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".part",
                                        dir=self.target.absolute().parent)
        except OSError as exc:
            raise InvalidInput("out.write", self.field, path=str(self.target), reason=_reason(exc)) from None
        self._temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            self._drop_temp()
            raise InvalidInput("out.write", self.field, path=str(self.target), reason=_reason(exc)) from None
        return self.target

    def place(self) -> None:
        """Rename the temporary file onto the target (nothing when nothing was written)."""
        if self._temp is None or self.target is None:
            return
        try:
            os.replace(self._temp, self.target)
        except OSError as exc:
            self._drop_temp()
            raise InvalidInput("out.write", self.field, path=str(self.target), reason=_reason(exc)) from None
        self._temp = None
        self.placed = True

    def discard(self) -> None:
        """Remove what was written: the temporary file, and the target if it was already placed."""
        self._drop_temp()
        if self.placed and self.target is not None:
            with contextlib.suppress(OSError):
                self.target.unlink()
            self.placed = False

    def _drop_temp(self) -> None:
        if self._temp is not None:
            with contextlib.suppress(OSError):
                self._temp.unlink()
            self._temp = None


def write_whole(path: str | os.PathLike[str], data: bytes, field: str = "out") -> Path:
    """Write a file that registers nothing (a report): checked, then written whole or not at all."""
    staged = StagedFile(check_target(path, field), field)
    try:
        staged.write(data)
        staged.place()
    except BaseException:
        staged.discard()
        raise
    assert staged.target is not None
    return staged.target
