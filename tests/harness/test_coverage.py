"""Coverage's paths, as the learner knows them: the installed copy and the project's copy of
one module carry one name, so two measurements of it can be compared."""

from pathlib import Path

from checks.harness.doors.tools.coverage import _as_learner_knows
from checks.harness.workspace import Workspace


def test_an_installed_module_and_the_projects_own_copy_are_named_alike(tmp_path: Path):
    workspace = Workspace(source=tmp_path / "learner", root=tmp_path / "work")
    (workspace.pristine / "src" / "shop").mkdir(parents=True)
    (workspace.pristine / "src" / "shop" / "services.py").write_text("")
    installed = f"{workspace.venv}/lib/python3.12/site-packages/shop/services.py"
    imported_from_src = f"{workspace.project}/src/shop/services.py"

    assert _as_learner_knows(installed, workspace) == "src/shop/services.py"
    assert _as_learner_knows(imported_from_src, workspace) == "src/shop/services.py"
