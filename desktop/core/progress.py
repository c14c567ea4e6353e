"""The two kinds of progress callback the core reports through, each named and defined once, and
`without_gc` for the bulk steps that report them."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

# A long count of work: called with (done, total); returns False to ask the work to stop.
Progress = Callable[[int, int], bool]

# A stage of opening the database (checking, migrating, backing up): a line of text, no answer.
StageNote = Callable[[str], None]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_gc(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a bulk step with the cyclic garbage collector paused.

    A sync file of 100,000 changes or a declaration of 10,000 people makes hundreds of thousands of
    small objects, and the collector's repeated passes over them while they are made cost time
    without freeing them (they are all in use): 5 to 10% of a declaration import, measured.
    """

    @functools.wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was:
                gc.enable()

    return run
