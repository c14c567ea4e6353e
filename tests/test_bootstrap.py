"""The bootstrap's shifted clock (`test --at`): the date moves, timed waits and threads do not slow."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import pytest

from desktop import bootstrap

# A worker thread doing pure-Python work (QR codes, as a document does) while the GUI thread runs a
# Qt event loop, as a window test waits on the runner. It prints the slow-down against the same work
# alone. Under a libfaketime whose monotonic timed waits return at once it was 250 to 500.
WORKER_BESIDE_EVENT_LOOP = """
import os, threading, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
import segno
app = QApplication([])
def work():
    start = time.perf_counter()
    for _ in range(3):
        segno.make("X" * 300, error="m", micro=False).matrix
    return time.perf_counter() - start
alone = work()
took = []
worker = threading.Thread(target=lambda: took.append(work()))
worker.start()
while worker.is_alive():
    QTest.qWait(10)
print(took[0] / alone)
"""


@pytest.fixture(scope="module")
def shifted() -> dict[str, str]:
    """The environment `bootstrap test --at "2030-06-15 12:00"` gives pytest."""
    return {**os.environ, **bootstrap.faketime_env("2030-06-15 12:00")}


def test_the_clock_moves(shifted: dict[str, str]) -> None:
    out = subprocess.run([str(bootstrap.venv_python()), "-c", "import datetime; print(datetime.date.today())"],
                         env=shifted, capture_output=True, text=True, timeout=60, check=True)
    if "FAKETIME" in os.environ:  # this suite is itself shifted: offsets add up
        assert out.stdout.strip() != str(dt.date.today())
    else:
        assert out.stdout.strip() == "2030-06-15"


def test_a_worker_thread_is_not_slowed_beside_the_event_loop(shifted: dict[str, str]) -> None:
    out = subprocess.run([str(bootstrap.venv_python()), "-c", WORKER_BESIDE_EVENT_LOOP],
                         env=shifted, capture_output=True, text=True, timeout=120, check=True)
    assert float(out.stdout.strip()) < 20


def test_the_check_refuses_a_library_that_cuts_timed_waits_short(shifted: dict[str, str]) -> None:
    rebased = {**shifted, "FAKETIME_FORCE_MONOTONIC_FIX": "1"}
    out = subprocess.run([str(bootstrap.venv_python()), "-c", bootstrap.FAKETIME_CHECK],
                         env=rebased, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode != 0
    assert "50 ms timed wait took" in out.stderr
