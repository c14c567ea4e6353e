"""Mutation score of the configured modules (pyproject.toml [tool.mutmut]) and the equivalent list.

    python -m tests.mutation.score [--run] [--max-children N] [--module NAME ...] [--min 90]
                                   [--markdown FILE]
    python -m tests.mutation.score --ci

--ci is the job sized for CI: a fresh copy of the tree where mutmut mutates only CI_MODULES against
only CI_TESTS (the modules whose tests are quick and kill every one of their mutants on their own),
run and scored there by the same rules.

With --run, mutmut runs first (only the mutants of the modules asked for, or all configured ones);
then its results are read (`mutmut results --all true`) and scored, module by module:

* detected: killed by a test, or a timeout (the mutant made a test loop; the tests stop it);
* equivalent: a survivor listed in tests/mutation/equivalent_<module>.toml with the reason no input
  can tell it from the original. An entry names the mutant and quotes its mutated line; an entry
  whose mutant is gone, is no longer that line (the code moved) or is now killed is stale and fails
  the run, so the list cannot silently drift from the code;
* survivors: anything else (survived, no test reaches it, suspicious, not checked).

The score is detected / all mutants, equivalents counted as not detected. The run fails (exit 1)
when the score is under --min (90 by default), when a survivor is not listed as equivalent, or when
an entry is stale. Exit 2: mutmut could not run or its results could not be read.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISTS = Path(__file__).resolve().parent
# The CI job: these modules, against these test files only (the full run takes the whole selection).
CI_MODULES = ("desktop/core/money.py", "desktop/core/calc.py", "desktop/core/workdays.py",
              "desktop/core/agreements.py")
CI_TESTS = ("tests/test_money.py", "tests/test_contributions.py", "tests/test_workdays.py",
            "tests/test_agreements.py")
# What a copy of the tree leaves out (the score's CI copy and the planted faults' copies).
COPY_SKIPS = (".git", ".venv", "mutants", "dist", "build", "__pycache__", ".hypothesis", ".pytest_cache",
              ".mypy_cache", ".ruff_cache", "*.egg-info")
DETECTED = frozenset({"killed", "timeout", "segfault", "caught by type check"})
RESULT_LINE = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


@dataclass(frozen=True)
class Equivalent:
    """A surviving mutant judged equivalent: its name, the mutated line quoted, and why."""

    mutant: str
    mutated: str
    reason: str
    source: str  # the list file it came from


@dataclass
class ModuleScore:
    """One module's counts."""

    module: str
    total: int = 0
    detected: int = 0
    equivalent: list[str] = field(default_factory=list)
    survivors: list[tuple[str, str]] = field(default_factory=list)  # (mutant, status)

    @property
    def score(self) -> float:
        """Detected mutants as a percentage of all (100 when the module has none)."""
        return 100.0 * self.detected / self.total if self.total else 100.0


def module_of(mutant: str) -> str:
    """desktop.core.month.xǁMonthǁadd__mutmut_3 -> desktop.core.month."""
    return mutant.rsplit(".", 1)[0]


def configured_modules(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The dotted names of the modules [tool.mutmut] only_mutate names."""
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["mutmut"]
    return [p.removesuffix(".py").replace("/", ".") for p in config["only_mutate"]]


def parse_results(text: str) -> dict[str, str]:
    """`mutmut results --all true` output -> {mutant: status}."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = RESULT_LINE.match(line)
        if m:
            out[m["name"]] = m["status"].strip()
    return out


def load_equivalents(folder: Path = LISTS) -> dict[str, Equivalent]:
    """Every entry of the equivalent_*.toml lists; a mutant listed twice is an error."""
    found: dict[str, Equivalent] = {}
    for path in sorted(folder.glob("equivalent_*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", []):
            item = Equivalent(entry["mutant"], entry["mutated"], entry["reason"], path.name)
            if item.mutant in found:
                raise ValueError(f"{item.mutant} is listed twice ({found[item.mutant].source}, {path.name})")
            if not item.reason.strip():
                raise ValueError(f"{item.mutant} in {path.name} gives no reason")
            found[item.mutant] = item
    return found


def mutated_lines(diff: str) -> list[str]:
    """The added lines of a unified diff, without their '+'."""
    return [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]


def stale_reason(item: Equivalent, status: str | None, diff: str | None) -> str | None:
    """Why a listed equivalent no longer holds, or None when it still does."""
    if status is None:
        return "no such mutant any more (the code changed): look again and list it anew"
    if status in DETECTED:
        return f"now {status} by the tests: remove it from the list"
    if status != "survived":
        return f"status '{status}': an equivalent mutant is one the tests run and cannot kill"
    if diff is not None and item.mutated.strip() not in (line.strip() for line in mutated_lines(diff)):
        return "its mutated line is no longer the one quoted (the code moved): look again"
    return None


def score(results: dict[str, str], equivalents: dict[str, Equivalent], modules: Iterable[str],
          diffs: dict[str, str]) -> tuple[dict[str, ModuleScore], list[str]]:
    """Per-module scores, and the stale entries (for the modules scored) with their reasons."""
    wanted = list(modules)
    scores = {m: ModuleScore(m) for m in wanted}
    for mutant, status in sorted(results.items()):
        s = scores.get(module_of(mutant))
        if s is None:
            continue
        s.total += 1
        if status in DETECTED:
            s.detected += 1
        elif mutant in equivalents and stale_reason(equivalents[mutant], status, diffs.get(mutant)) is None:
            s.equivalent.append(mutant)
        else:
            s.survivors.append((mutant, status))
    stale = []
    for mutant, item in sorted(equivalents.items()):
        if module_of(mutant) not in scores:
            continue
        why = stale_reason(item, results.get(mutant), diffs.get(mutant))
        if why is not None:
            stale.append(f"{mutant} ({item.source}): {why}")
    return scores, stale


def ci_config(pyproject: str) -> str:
    """pyproject.toml with [tool.mutmut] narrowed to CI_MODULES and CI_TESTS (the rest unchanged)."""
    head, sep, tail = pyproject.partition("[tool.mutmut]")
    if not sep:
        raise SystemExit("pyproject.toml has no [tool.mutmut] section")
    section, _, rest = tail.partition("\n[")
    lines = section.splitlines()
    kept = "\n".join(line for line in _without_lists(lines, ("only_mutate", "pytest_add_cli_args_test_selection")))
    listed = "\n".join([f"only_mutate = {list(CI_MODULES)!r}",
                        f"pytest_add_cli_args_test_selection = {list(CI_TESTS)!r}"]).replace("'", '"')
    return head + sep + kept.rstrip("\n") + "\n" + listed + "\n" + (("\n[" + rest) if rest else "")


def _without_lists(lines: list[str], keys: tuple[str, ...]) -> list[str]:
    """The lines of a TOML section without the (possibly multi-line) arrays assigned to keys."""
    out, skipping = [], False
    for line in lines:
        if skipping:
            skipping = not line.strip().startswith("]")
            continue
        if line.split("=", 1)[0].strip() in keys:
            skipping = not line.rstrip().endswith("]")
            continue
        out.append(line)
    return out


def run_ci(args: argparse.Namespace) -> int:
    """The CI job: a fresh copy with the narrowed configuration, mutmut run and scored in it."""
    with tempfile.TemporaryDirectory(prefix="shebao-mutation-") as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*COPY_SKIPS))
        pyproject = copy / "pyproject.toml"
        pyproject.write_text(ci_config(pyproject.read_text(encoding="utf-8")), encoding="utf-8")
        command = [sys.executable, "-m", "tests.mutation.score", "--run",
                   "--max-children", str(args.max_children), "--min", str(args.min)]
        if args.markdown:
            command += ["--markdown", str(args.markdown.resolve())]
        return subprocess.run(command, cwd=copy, check=False).returncode


def mutmut(*args: str) -> str:
    """Run mutmut in the repository and return its standard output (exit 2 of this tool on failure)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")  # a test file in the selection makes a QApplication
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"mutmut {' '.join(args)} failed with exit {done.returncode}")
    return done.stdout


def markdown(scores: dict[str, ModuleScore], equivalents: dict[str, Equivalent]) -> str:
    """The README's tables: per-module counts, then every equivalent mutant and its reason."""
    rows = ["| module | mutants | detected | equivalent | survivors | score |", "|---|---|---|---|---|---|"]
    total = ModuleScore("all")
    for s in scores.values():
        rows.append(f"| `{s.module}` | {s.total} | {s.detected} | {len(s.equivalent)} | "
                    f"{len(s.survivors)} | {s.score:.1f}% |")
        total.total += s.total
        total.detected += s.detected
        total.equivalent += s.equivalent
        total.survivors += s.survivors
    rows.append(f"| **all** | {total.total} | {total.detected} | {len(total.equivalent)} | "
                f"{len(total.survivors)} | **{total.score:.1f}%** |")
    scored = {mutant: equivalents[mutant] for s in scores.values() for mutant in s.equivalent}
    return "\n".join(rows) + "\n\n" + equivalents_table(scored)


def equivalents_table(equivalents: dict[str, Equivalent]) -> str:
    """The equivalent lists as one Markdown table, module by module (the README's copy)."""
    rows = ["| equivalent mutant | mutated line | why no input can tell it |", "|---|---|---|"]
    for mutant, e in sorted(equivalents.items(), key=lambda kv: (module_of(kv[0]), _number(kv[0]))):
        line = e.mutated.strip().replace("|", "\\|")
        rows.append(f"| `{mutant.removeprefix('desktop.core.')}` | `{line}` | "
                    f"{' '.join(e.reason.split()).replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def _number(mutant: str) -> tuple[str, int]:
    """Sort key: the function, then the mutant's number as a number."""
    name, _, number = mutant.rpartition("__mutmut_")
    return name, int(number) if number.isdigit() else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run (optionally), score, print, and exit 0 only when every module meets the rules."""
    parser = argparse.ArgumentParser(prog="python -m tests.mutation.score", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", action="store_true", help="run mutmut first")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--module", action="append", help="a configured module, e.g. desktop.core.money")
    parser.add_argument("--min", type=float, default=90.0, help="minimum score in percent")
    parser.add_argument("--markdown", type=Path, help="write the README tables here")
    parser.add_argument("--ci", action="store_true", help="the CI job (CI_MODULES against CI_TESTS)")
    parser.add_argument("--list-equivalents", action="store_true",
                        help="print the equivalent lists as a Markdown table and stop")
    args = parser.parse_args(argv)
    if args.list_equivalents:
        print(equivalents_table(load_equivalents()), end="")
        return 0
    if args.ci:
        return run_ci(args)
    configured = configured_modules()
    modules = args.module or configured
    unknown = sorted(set(modules) - set(configured))
    if unknown:
        parser.error(f"not configured in pyproject.toml [tool.mutmut]: {', '.join(unknown)}")
    try:
        equivalents = load_equivalents()
    except (ValueError, KeyError, tomllib.TOMLDecodeError) as e:
        print(f"equivalent list: {e}", file=sys.stderr)
        return 2
    if args.run:
        mutmut("run", "--max-children", str(args.max_children), *(f"{m}.*" for m in modules))
    results = parse_results(mutmut("results", "--all", "true"))
    if not any(module_of(k) in modules for k in results):
        print("mutmut has no results for these modules: run with --run", file=sys.stderr)
        return 2
    diffs = {k: mutmut("show", k) for k in equivalents if module_of(k) in modules and k in results}
    scores, stale = score(results, equivalents, modules, diffs)
    table = markdown(scores, equivalents)
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    failed = False
    for s in scores.values():
        for mutant, status in s.survivors:
            print(f"SURVIVOR {mutant}: {status} (kill it with a test, or list it as equivalent)")
            failed = True
    for line in stale:
        print(f"STALE {line}")
        failed = True
    detected = sum(s.detected for s in scores.values())
    total = sum(s.total for s in scores.values())
    overall = 100.0 * detected / total if total else 100.0
    if overall < args.min:
        print(f"score {overall:.1f}% is under {args.min:.0f}%")
        failed = True
    print(f"{'FAILED' if failed else 'OK'}: {detected} of {total} mutants detected ({overall:.1f}%), "
          f"{sum(len(s.equivalent) for s in scores.values())} equivalent, "
          f"{sum(len(s.survivors) for s in scores.values())} survivors, {len(stale)} stale entries")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
