"""What a write changed, so a window can refresh only what shows it (Anki's `OpChanges`).

A service that writes can hand back a `Changes` beside its result: the people, the month rows of
their history, the employers, the transfer cases, the documents and the reference tables it touched.
An empty `Changes` means nothing shown changed; `Changes.everything()` means anything may have (an
import of a sync file, a restore): refresh it all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class MonthRow:
    """One row of a person's contribution history: the person's key, the month as YYYYMM and the
    employer's row id (the history view's row key is (month, employer id))."""

    person: str
    month: int
    employer_id: int

    @property
    def row_key(self) -> tuple[int, int]:
        """The history view's key of the row."""
        return self.month, self.employer_id


@dataclass(frozen=True)
class Changes:
    """What one write changed. Sets of keys; `everything` when it cannot say."""

    people: frozenset[str] = field(default_factory=frozenset)  # worker keys
    months: frozenset[MonthRow] = field(default_factory=frozenset)  # contribution history rows
    employers: frozenset[str] = field(default_factory=frozenset)  # USCCs
    cases: frozenset[str] = field(default_factory=frozenset)  # transfer case numbers
    documents: frozenset[str] = field(default_factory=frozenset)  # document numbers
    reference: frozenset[str] = field(default_factory=frozenset)  # reference tables: wages, rates...
    everything: bool = False

    @classmethod
    def all(cls) -> Changes:
        """Anything may have changed."""
        return cls(everything=True)

    @classmethod
    def of_months(cls, rows: Iterable[MonthRow]) -> Changes:
        """Month rows recorded or changed (their people changed too)."""
        found = frozenset(rows)
        return cls(people=frozenset(r.person for r in found), months=found)

    @classmethod
    def of_people(cls, keys: Iterable[str]) -> Changes:
        """People registered or changed in a way that is not only month rows (their whole record)."""
        return cls(people=frozenset(keys))

    @classmethod
    def of_employers(cls, usccs: Iterable[str]) -> Changes:
        """Employers registered or changed."""
        return cls(employers=frozenset(usccs))

    @classmethod
    def of_documents(cls, person: str | None, numbers: Iterable[str]) -> Changes:
        """Documents issued or printed again for a person (or for nobody in particular)."""
        return cls(people=frozenset({person} if person else ()), documents=frozenset(numbers))

    def merge(self, other: Changes) -> Changes:
        """Both changes together."""
        return Changes(self.people | other.people, self.months | other.months,
                       self.employers | other.employers, self.cases | other.cases,
                       self.documents | other.documents, self.reference | other.reference,
                       self.everything or other.everything)

    def __bool__(self) -> bool:
        """Whether anything changed."""
        return self.everything or any((self.people, self.months, self.employers, self.cases,
                                       self.documents, self.reference))

    def touches(self, person: str) -> bool:
        """Whether the person (or anything at all, for `everything`) changed."""
        return self.everything or person in self.people

    def months_of(self, person: str) -> frozenset[MonthRow]:
        """The history rows of the person that changed."""
        return frozenset(r for r in self.months if r.person == person)

    def only_months(self, person: str) -> bool:
        """Whether all that changed for the person is month rows of their history (so their
        identity, documents, cases and the reference values are as they were)."""
        return (not self.everything and not self.documents and not self.cases and not self.reference
                and not self.employers and bool(self.months_of(person)))


NOTHING = Changes()
