"""Mutation testing of the learner's service layer with mutmut (stage 5, opt-in: slow).

mutmut changes the services one small thing at a time (`<` into `<=`, `and` into `or`, a
value into None) and runs the unit tests against each change, a *mutant*: a mutant every
test still passes *survives*, and points at a rule no test pins down.

mutmut 3 reads its settings only from the pyproject.toml of the folder it runs in, and
writes its mutants there, so it runs in a copy of the project of its own: never in the
learner's repository, never in the pristine copy, nor in the workspace's copy (other
checks run pytest and ruff there, and would find the mutants). The checker writes a
`[tool.mutmut]` table into that copy. mutmut runs the learner's tests, so it runs
contained like every learner program, with the database unreachable and time-boxed; it
saves each mutant's result as it goes, so what it finished in time is read after a kill.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checks.harness import process
from checks.harness.containment import give_to_learner
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace

MUTMUT = "mutmut==3.8.1"  # pinned: its settings, its result files and its diffs are read
# mutmut's exit codes per mutant (mutmut/stats.py), as its own badge counts them:
# a timeout is a kill, a skipped mutant is not counted, every other code is not a kill.
KILLED = {1, 3, 24, -24, 36, 37, 152, 255}
SURVIVED, SKIPPED = 0, 34
NO_TESTS = {5, 33}  # a function no unit test calls: nothing could kill its mutants
COPIED = shutil.ignore_patterns(".git", "mutants", "__pycache__", ".venv", "venv", ".nox")
SHOWN_DIFFS = 200  # survivors whose diff is read: enough to pick the telling ones
# mutmut's own diff of each survivor, one process for all of them (one `mutmut show`
# each would pay its start-up every time).
DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
diffs = {}
for name, path in json.loads(sys.argv[1]):
    try:
        diffs[name] = get_diff_for_mutant(name, path=path)
    except Exception:  # one mutant that cannot be read must not hide the others
        diffs[name] = ""
print(json.dumps(diffs))
"""


@dataclass(frozen=True)
class Target:
    """What mutmut changes: files of the learner's package, and the folder it imports from."""

    package: str  # the package's folder, as mutmut copies it: "src/expense_tracker"
    files: tuple[str, ...]  # the services' files or folders (globs): "src/…/services.py"


@dataclass(frozen=True)
class Mutant:
    name: str  # mutmut's: expense_tracker.services.x_list_users__mutmut_2
    path: str  # the file it changes, as the learner knows it: src/expense_tracker/services.py
    code: int | None  # mutmut's exit code for it; None: not tried within the budget

    @property
    def function(self) -> str:
        """The function it changes: `list_users`, or `Repository.get` for a method."""
        mangled = self.name.rpartition(".")[2].rpartition("__mutmut_")[0]
        if mangled.startswith("xǁ"):
            return ".".join(part for part in mangled[2:].split("ǁ") if part)
        return mangled.removeprefix("x_")


@dataclass(frozen=True)
class Outcome:
    mutants: tuple[Mutant, ...]

    @property
    def tried(self) -> list[Mutant]:
        return [m for m in self.mutants if m.code is not None and m.code != SKIPPED]

    @property
    def killed(self) -> int:
        return sum(m.code in KILLED for m in self.tried)

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.tried if m.code == SURVIVED]

    @property
    def untested(self) -> int:
        return sum(m.code in NO_TESTS for m in self.tried)

    @property
    def score(self) -> float:
        """Killed, in percent of the mutants tried (mutmut's own badge counts this way)."""
        return 100.0 * self.killed / len(self.tried) if self.tried else 0.0


def target(pristine: Path, modules: tuple[str, ...]) -> Target | None:
    """The services' files (modules or packages) and their package folder, as found in the
    project (src/ layout or flat); None when no module of `modules` is there."""
    for root in ("src", ""):
        files = []
        for module in modules:
            relative = Path(root, *module.split("."))
            if (pristine / relative.with_suffix(".py")).is_file():
                files.append(str(relative.with_suffix(".py")))
            elif (pristine / relative).is_dir():
                files.append(f"{relative}/*")
        if files:
            package = Path(root, modules[0].split(".")[0])
            return Target(str(package), tuple(files))
    return None


def install(workspace: Workspace) -> Completed:
    """Add mutmut to the learner's environment without changing any package already in
    it: the checks running beside this one use those, as the project locked them."""
    frozen = workspace.uv("pip", "freeze", "--python", str(workspace.python), timeout=60)
    if not frozen.ok:
        return frozen
    pins = [line for line in frozen.stdout.splitlines() if re.fullmatch(r"[\w.-]+==\S+", line)]
    constraints = workspace.scratch("mutmut-install") / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", "utf-8")
    constraints.chmod(0o644)
    return workspace.install_packages("-c", str(constraints), MUTMUT)


def prepare(workspace: Workspace, goal: Target, unit_tests: str) -> Path:
    """A copy of the project (from the pristine one) with the checker's `[tool.mutmut]`;
    raises ValueError when its pyproject.toml cannot take the table."""
    folder = workspace.scratch("mutation") / "project"
    shutil.copytree(workspace.pristine, folder, symlinks=True, ignore=COPIED)
    pyproject = folder / "pyproject.toml"
    extra = [p for p in (unit_tests, "conftest.py", "pytest.ini") if (folder / p).exists()]
    table = {
        "source_paths": [goal.package],
        "only_mutate": list(goal.files),
        "pytest_add_cli_args_test_selection": [unit_tests],
        "also_copy": extra,
        "use_git_change_detection": False,  # the copy has no history
        "use_setproctitle": False,
    }
    text = _without_mutmut_tables(pyproject.read_text("utf-8"))
    lines = [f"{key} = {json.dumps(value)}" for key, value in table.items()]  # JSON is TOML here
    text = text.rstrip("\n") + "\n\n[tool.mutmut]\n" + "\n".join(lines) + "\n"
    written = tomllib.loads(text).get("tool", {}).get("mutmut")
    if written != table:
        raise ValueError("the [tool.mutmut] table could not be added to pyproject.toml")
    pyproject.write_text(text, "utf-8")
    jail = process.containment()
    if jail is not None:
        give_to_learner(folder, jail)
    return folder


def _without_mutmut_tables(text: str) -> str:
    """pyproject.toml without the project's own [tool.mutmut] tables: the checker's
    settings decide what is mutated and which tests run."""
    kept, inside = [], False
    for line in text.splitlines():
        header = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", line)
        if header:
            name = header.group(1).replace('"', "").replace(" ", "")
            inside = name == "tool.mutmut" or name.startswith("tool.mutmut.")
        if not inside:
            kept.append(line)
    return "\n".join(kept) + "\n"


def run_mutmut(workspace: Workspace, folder: Path, env: dict[str, str], budget: float) -> Completed:
    """`mutmut run` in the copy, stopped at `budget` seconds (the results so far stay)."""
    return run([str(workspace.bin / "mutmut"), "run"], cwd=folder, env=env, timeout=budget)


def outcome(folder: Path) -> Outcome:
    """Every mutant mutmut made in `folder` and its result so far, from its .meta files."""
    mutants = []
    root = folder / "mutants"
    for meta in sorted(root.rglob("*.py.meta")):
        try:
            codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key") or {}
        except (OSError, ValueError, AttributeError):
            continue
        path = str(meta.relative_to(root)).removesuffix(".meta")
        for name, code in codes.items():
            mutants.append(Mutant(name, path, code if isinstance(code, int) else None))
    return Outcome(tuple(mutants))


def diffs(
    workspace: Workspace, folder: Path, survivors: list[Mutant], env: dict[str, str]
) -> dict[str, str]:
    """mutmut's own diff of each survivor (the first SHOWN_DIFFS), by mutant name."""
    wanted = json.dumps([[m.name, m.path] for m in survivors[:SHOWN_DIFFS]])
    shown = run([str(workspace.python), "-c", DIFFS, wanted], cwd=folder, env=env, timeout=60)
    lines = shown.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1]) if shown.ok and lines else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


# A change to one of these is a change to a rule (a comparison, a condition, a result).
RULE_WORDS = re.compile(
    r"==|!=|<=|>=|<|>|[-+*/%]|\b(is|not|and|or|in|True|False|None|return|break|continue)\b"
)
STRING = re.compile(r"""^[rbfu]*["']""", re.I)
NUMBER = re.compile(r"-?\d[\d_.]*")  # a changed number is a moved boundary
# A line that only says something: a change to its text is the least telling kind.
MESSAGE = re.compile(r"\b(raise|print|warn|warning|info|debug|error|exception|critical|log)\b")
SHOWN_CHARS, CONTEXT = 60, 20  # a longer line is shown around its change


@dataclass(frozen=True)
class Change:
    """What one mutant changed: a line of the learner's code, before and after."""

    mutant: Mutant
    before: str
    after: str

    @property
    def rank(self) -> int:
        """0 for a changed rule (an operator, a condition, a value returned), 1 for another
        changed value (a default, a key), 2 for the text of a message: the lower, the more
        telling."""
        old, new = _changed_parts(self.before, self.after)[:2]
        text = ("XX" in new and "XX" not in old) or old.lower() == new.lower()
        if text or STRING.match(old.strip()):
            return 2 if MESSAGE.search(self.before) else 1
        if NUMBER.fullmatch(old.strip()) and NUMBER.fullmatch(new.strip()):
            return 0
        return 0 if RULE_WORDS.search(f"{old} {new}") else 1

    def shown(self) -> tuple[str, str]:
        """Before and after as a report shows them: a long line cut to its change."""
        if max(len(self.before), len(self.after)) <= SHOWN_CHARS:
            return self.before, self.after
        old, new, start = _changed_parts(self.before, self.after)
        first = max(0, start - CONTEXT)
        while first > 0 and self.before[first - 1] != " ":
            first -= 1

        def cut(line: str, changed: str) -> str:
            last = min(len(line), start + len(changed) + CONTEXT)
            return ("…" if first else "") + line[first:last] + ("…" if last < len(line) else "")

        return cut(self.before, old), cut(self.after, new)


def change(mutant: Mutant, diff: str) -> Change | None:
    """The line a survivor's diff takes out and the line it puts in, or None."""
    lines = diff.splitlines()
    removed = [ln[1:] for ln in lines if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:] for ln in lines if ln.startswith("+") and not ln.startswith("+++")]
    if not removed:
        return None
    return Change(mutant, removed[0].strip(), added[0].strip() if added else "")


def telling(changes: list[Change], count: int = 5) -> list[Change]:
    """The `count` most telling changes: rules before values before texts; one per
    function first, then one per line, then any."""
    ordered = sorted(changes, key=lambda c: c.rank)
    picked: list[Change] = []
    keys: tuple[Callable[[Change], object], ...] = (
        lambda c: c.mutant.function,
        lambda c: (c.mutant.path, c.before),
        lambda c: c.mutant.name,
    )
    for key in keys:
        for change_ in ordered:
            taken = {key(p) for p in picked}
            if len(picked) < count and key(change_) not in taken:
                picked.append(change_)
    return sorted(picked, key=lambda c: c.rank)


def _changed_parts(before: str, after: str) -> tuple[str, str, int]:
    """The parts of two lines that differ, whole words kept (`not x` vs `x` gives "not "
    and ""), and where they start."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    while start > 0 and (before[start - 1].isalnum() or before[start - 1] in "_<>=!"):
        start -= 1
    return before[start : len(before) - end], after[start : len(after) - end], start
