"""The mutation score tool (tests/mutation/score.py): reading mutmut's results, scoring, stale lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mutation.score import (
    Equivalent,
    configured_modules,
    load_equivalents,
    markdown,
    module_of,
    parse_results,
    score,
    stale_reason,
)

RESULTS = """\
    desktop.core.money.x_round_fen__mutmut_1: killed
    desktop.core.money.x_round_fen__mutmut_2: survived
    desktop.core.money.x_round_fen__mutmut_3: timeout
    desktop.core.money.x_round_fen__mutmut_4: no tests
    desktop.core.month.xǁMonthǁadd__mutmut_1: survived
    desktop.core.month.xǁMonthǁadd__mutmut_2: killed
"""
DIFF = """\
# desktop.core.money.x_round_fen__mutmut_2: survived
--- desktop/core/money.py
+++ desktop/core/money.py
@@ -1,2 +1,2 @@
-    return value.quantize(FEN, ROUND_HALF_UP)
+    return value.quantize(FEN, None)
"""


def equivalent(mutant: str, mutated: str = "    return value.quantize(FEN, None)") -> Equivalent:
    return Equivalent(mutant, mutated, "a reason", "equivalent_test.toml")


def test_results_are_read_per_mutant_with_methods_kept_in_their_module() -> None:
    results = parse_results(RESULTS + "some other line\n")
    assert results == {
        "desktop.core.money.x_round_fen__mutmut_1": "killed",
        "desktop.core.money.x_round_fen__mutmut_2": "survived",
        "desktop.core.money.x_round_fen__mutmut_3": "timeout",
        "desktop.core.money.x_round_fen__mutmut_4": "no tests",
        "desktop.core.month.xǁMonthǁadd__mutmut_1": "survived",
        "desktop.core.month.xǁMonthǁadd__mutmut_2": "killed",
    }
    assert module_of("desktop.core.month.xǁMonthǁadd__mutmut_1") == "desktop.core.month"
    assert module_of("desktop.core.sync.container.x_open__mutmut_7") == "desktop.core.sync.container"


def test_score_counts_killed_and_timeouts_as_detected_and_every_other_survivor_against_it() -> None:
    results = parse_results(RESULTS)
    eq = {"desktop.core.money.x_round_fen__mutmut_2": equivalent("desktop.core.money.x_round_fen__mutmut_2")}
    scores, stale = score(results, eq, ["desktop.core.money", "desktop.core.month"],
                          {"desktop.core.money.x_round_fen__mutmut_2": DIFF})
    money, month = scores["desktop.core.money"], scores["desktop.core.month"]
    assert (money.total, money.detected) == (4, 2)  # killed + timeout
    assert money.equivalent == ["desktop.core.money.x_round_fen__mutmut_2"]
    assert money.survivors == [("desktop.core.money.x_round_fen__mutmut_4", "no tests")]
    assert money.score == 50.0  # 2 of 4: an equivalent is not counted as detected
    assert (month.total, month.detected, month.survivors) == (
        2, 1, [("desktop.core.month.xǁMonthǁadd__mutmut_1", "survived")])
    assert stale == []
    table = markdown(scores, eq)
    assert "| `desktop.core.money` | 4 | 2 | 1 | 1 | 50.0% |" in table
    assert "| **all** | 6 | 3 | 1 | 2 | **50.0%** |" in table
    assert "| `money.x_round_fen__mutmut_2` | `return value.quantize(FEN, None)` | a reason |" in table


@pytest.mark.parametrize(("status", "diff", "why"), [
    (None, None, "no such mutant any more"),
    ("killed", DIFF, "now killed by the tests"),
    ("timeout", DIFF, "now timeout by the tests"),
    ("no tests", DIFF, "status 'no tests'"),
    ("survived", DIFF.replace("None)", "ROUND_DOWN)"), "no longer the one quoted"),
])
def test_a_listed_equivalent_that_no_longer_holds_is_stale(status: str | None, diff: str | None,
                                                           why: str) -> None:
    reason = stale_reason(equivalent("m"), status, diff)
    assert reason is not None and why in reason, reason
    assert stale_reason(equivalent("m"), "survived", DIFF) is None


def test_a_stale_entry_is_reported_and_its_mutant_counts_as_a_survivor() -> None:
    results = parse_results(RESULTS)
    eq = {"desktop.core.money.x_round_fen__mutmut_1": equivalent("desktop.core.money.x_round_fen__mutmut_1"),
          "desktop.core.money.x_round_fen__mutmut_2": equivalent("desktop.core.money.x_round_fen__mutmut_2",
                                                                 "    return value.quantize(FEN, ROUND_UP)")}
    scores, stale = score(results, eq, ["desktop.core.money"],
                          {"desktop.core.money.x_round_fen__mutmut_2": DIFF})
    assert [s.split(" ")[0] for s in stale] == ["desktop.core.money.x_round_fen__mutmut_1",
                                                "desktop.core.money.x_round_fen__mutmut_2"]
    assert scores["desktop.core.money"].equivalent == []
    assert ("desktop.core.money.x_round_fen__mutmut_2", "survived") in scores["desktop.core.money"].survivors


def test_a_mutant_listed_twice_or_without_a_reason_is_refused(tmp_path: Path) -> None:
    entry = '[[equivalent]]\nmutant = "desktop.core.money.x_a__mutmut_1"\nmutated = "x"\nreason = "{}"\n'
    (tmp_path / "equivalent_a.toml").write_text(entry.format("because"), encoding="utf-8")
    (tmp_path / "equivalent_b.toml").write_text(entry.format("because"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"x_a__mutmut_1 is listed twice \(equivalent_a.toml, equivalent_b.toml\)"):
        load_equivalents(tmp_path)
    (tmp_path / "equivalent_b.toml").unlink()
    (tmp_path / "equivalent_a.toml").write_text(entry.format(" "), encoding="utf-8")
    with pytest.raises(ValueError, match="x_a__mutmut_1 in equivalent_a.toml gives no reason"):
        load_equivalents(tmp_path)


def test_the_shipped_lists_name_only_configured_modules_and_quote_a_line() -> None:
    modules = set(configured_modules())
    assert "desktop.core.money" in modules and "desktop.core.sync.container" in modules
    for mutant, item in load_equivalents().items():
        assert module_of(mutant) in modules, (mutant, item.source)
        assert item.source == f"equivalent_{module_of(mutant).rsplit('.', 1)[1]}.toml", mutant
        assert item.mutated.strip(), mutant


def test_the_ci_job_narrows_only_the_modules_and_the_tests() -> None:
    import tomllib

    from tests.mutation.score import CI_MODULES, CI_TESTS, ROOT, ci_config

    full = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    narrowed = tomllib.loads(ci_config(full))
    before = tomllib.loads(full)
    assert narrowed["tool"]["mutmut"]["only_mutate"] == list(CI_MODULES)
    assert narrowed["tool"]["mutmut"]["pytest_add_cli_args_test_selection"] == list(CI_TESTS)
    for key in ("source_paths", "also_copy", "pytest_add_cli_args"):
        assert narrowed["tool"]["mutmut"][key] == before["tool"]["mutmut"][key]
    assert {k: v for k, v in narrowed.items() if k != "tool"} == {k: v for k, v in before.items() if k != "tool"}
    assert set(CI_MODULES) <= set(before["tool"]["mutmut"]["only_mutate"])
    assert set(CI_TESTS) <= set(before["tool"]["mutmut"]["pytest_add_cli_args_test_selection"])


def test_the_readme_lists_every_equivalent_mutant_with_its_reason() -> None:
    from tests.mutation.score import ROOT, equivalents_table

    table = equivalents_table(load_equivalents())
    assert table.count("\n") == len(load_equivalents()) + 2
    assert table in (ROOT / "README.md").read_text(encoding="utf-8"), \
        "README's equivalent table differs: paste `python -m tests.mutation.score --list-equivalents`"
