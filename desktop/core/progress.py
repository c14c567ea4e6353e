"""The two kinds of progress callback the core reports through, each named and defined once."""

from __future__ import annotations

from collections.abc import Callable

# A long count of work: called with (done, total); returns False to ask the work to stop.
Progress = Callable[[int, int], bool]

# A stage of opening the database (checking, migrating, backing up): a line of text, no answer.
StageNote = Callable[[str], None]
