"""Mutation testing's driver: where mutmut is pointed, what its files say, and which of
the surviving changes a learner reads first. (A real mutmut run: tests/stages/test_05_gaps.)"""

import json
import tomllib
from pathlib import Path

import pytest

from checks.harness.doors.tools import mutation
from checks.harness.doors.tools.mutation import Change, Mutant, Target
from checks.harness.workspace import Workspace

NAME = "expense_tracker.services.x_{}__mutmut_{}"


def _mutant(function: str = "list_users", number: int = 1, code: int | None = 0) -> Mutant:
    return Mutant(NAME.format(function, number), "src/expense_tracker/services.py", code)


def _workspace(tmp_path: Path, pyproject: str) -> Workspace:
    workspace = Workspace(source=tmp_path / "learner", root=tmp_path / "work")
    package = workspace.pristine / "src" / "expense_tracker"
    package.mkdir(parents=True)
    (package / "services.py").write_text("def f():\n    return 1\n")
    (workspace.pristine / "tests" / "unit").mkdir(parents=True)
    (workspace.pristine / "pyproject.toml").write_text(pyproject)
    return workspace


def test_the_services_are_found_as_files_or_packages_in_a_src_or_flat_layout(tmp_path):
    (tmp_path / "src" / "shop" / "services").mkdir(parents=True)
    (tmp_path / "src" / "shop" / "rules.py").write_text("")
    found = mutation.target(tmp_path, ("shop.services", "shop.rules", "shop.absent"))
    assert found == Target("src/shop", ("src/shop/services/*", "src/shop/rules.py"))
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "services.py").write_text("")
    assert mutation.target(tmp_path, ("flat.services",)) == Target("flat", ("flat/services.py",))
    assert mutation.target(tmp_path, ("nowhere.services",)) is None


def test_the_copy_gets_the_checkers_mutmut_table_and_the_pristine_copy_stays_untouched(tmp_path):
    own = '[project]\nname = "x"\n\n[tool.mutmut]\nsource_paths = ["elsewhere"]\n\n'
    own += "[tool.mutmut.extra]\nx = 1\n\n[tool.ruff]\nline-length = 100\n"
    workspace = _workspace(tmp_path, own)
    goal = Target("src/expense_tracker", ("src/expense_tracker/services.py",))

    copy = mutation.prepare(workspace, goal, "tests/unit")

    written = tomllib.loads((copy / "pyproject.toml").read_text())
    assert written["tool"]["mutmut"] == {
        "source_paths": ["src/expense_tracker"],
        "only_mutate": ["src/expense_tracker/services.py"],
        "pytest_add_cli_args_test_selection": ["tests/unit"],
        "also_copy": ["tests/unit"],
        "use_git_change_detection": False,
        "use_setproctitle": False,
    }
    assert written["tool"]["ruff"] == {"line-length": 100}  # the rest is the project's own
    assert (workspace.pristine / "pyproject.toml").read_text() == own
    assert (copy / "src" / "expense_tracker" / "services.py").is_file()
    assert copy.is_relative_to(workspace.root) and copy != workspace.project


def test_a_pyproject_that_is_not_toml_cannot_take_the_table(tmp_path):
    workspace = _workspace(tmp_path, "[project\n")
    with pytest.raises(ValueError):
        mutation.prepare(workspace, Target("src/expense_tracker", ()), "tests/unit")


def test_each_mutants_result_is_read_from_mutmuts_files_even_after_a_kill(tmp_path):
    meta = tmp_path / "mutants" / "src" / "expense_tracker" / "services.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {NAME.format("f", n): code for n, code in enumerate([1, 1, 36, 0, 33, 34, None])}
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    (meta.parent / "models.py.meta").write_text("{ half written")  # killed mid-write

    found = mutation.outcome(tmp_path)

    assert {m.path for m in found.mutants} == {"src/expense_tracker/services.py"}
    assert len(found.mutants) == 7
    assert len(found.tried) == 5  # the skipped one and the one not reached do not count
    assert (found.killed, found.untested) == (3, 1)  # a timeout kills, as mutmut counts it
    assert [m.name for m in found.survivors] == [NAME.format("f", 3)]
    assert found.score == 60.0


def test_a_mutant_names_the_function_or_method_it_changes():
    assert _mutant("list_users").function == "list_users"
    method = Mutant("app.repo.xǁRepositoryǁget__mutmut_3", "src/app/repo.py", 0)
    assert method.function == "Repository.get"


DIFF = """\
--- src/expense_tracker/services.py
+++ src/expense_tracker/services.py
@@ -1,6 +1,6 @@
 def list_users(uow: UnitOfWork, actor: User) -> list[User]:
     \"\"\"Every user, oldest first. Only an admin may ask.\"\"\"
-    if not actor.is_admin:
+    if actor.is_admin:
         raise PermissionDeniedError("only an admin may list the users")
"""


def test_the_change_is_read_from_mutmuts_diff():
    change = mutation.change(_mutant(), DIFF)
    assert change == Change(_mutant(), "if not actor.is_admin:", "if actor.is_admin:")
    assert mutation.change(_mutant(), "") is None


@pytest.mark.parametrize(
    ("before", "after", "rank"),
    [
        ("if not actor.is_admin:", "if actor.is_admin:", 0),
        ("if count < limit:", "if count <= limit:", 0),
        ("return total + 1", "return total + 2", 0),
        ("items = slice(limit, owner_id=owner_id)", "items = slice(limit, owner_id=None)", 0),
        ('changes["amount"] = parse(amount)', 'changes["XXamountXX"] = parse(amount)', 1),
        ('def add(note: str = ""):', 'def add(note: str = "XXXX"):', 1),
        ('raise Denied("only an admin may")', 'raise Denied("XXonly an admin mayXX")', 2),
        ('raise Denied("only an admin may")', "raise Denied(None)", 2),
        ('log.info("Saved")', 'log.info("SAVED")', 2),
    ],
)
def test_a_changed_rule_is_more_telling_than_a_value_and_a_value_than_a_message(
    before, after, rank
):
    assert Change(_mutant(), before, after).rank == rank


def test_a_long_line_is_shown_around_its_change():
    before = "uow: UnitOfWork, actor: User, amount: str, category: str, note: str = ''"
    after = before.replace("''", "'XXXX'")
    assert Change(_mutant(), before, after).shown() == (
        "…category: str, note: str = ''",
        "…category: str, note: str = 'XXXX'",
    )
    assert Change(_mutant(), "x < 1", "x <= 1").shown() == ("x < 1", "x <= 1")


def test_the_telling_five_put_rules_first_and_one_per_function_before_seconds():
    def change(function: str, number: int, before: str, after: str) -> Change:
        return Change(_mutant(function, number), before, after)

    message = ('raise E("no")', 'raise E("XXnoXX")')
    changes = [
        change("a", 1, *message),
        change("a", 2, "if x < 1:", "if x <= 1:"),
        change("a", 3, "if y > 2:", "if y >= 2:"),
        change("b", 1, *message),
        change("b", 2, 'raise E("no")', "raise E(None)"),  # the same line as b1
        change("c", 1, 'd["k"] = v', 'd["XXkXX"] = v'),
        change("d", 1, "return a and b", "return a or b"),
    ]

    picked = mutation.telling(changes)

    assert [(c.mutant.function, c.rank) for c in picked] == [
        ("a", 0),
        ("d", 0),
        ("a", 0),
        ("c", 1),
        ("b", 2),
    ]


def test_with_fewer_than_five_survivors_every_one_is_shown_even_two_on_one_line():
    adding = "totals[category] += amount"
    changes = [
        Change(_mutant("total", 3), adding, "totals[category] = amount"),
        Change(_mutant("total", 4), adding, "totals[category] -= amount"),
    ]
    assert mutation.telling(changes) == changes
