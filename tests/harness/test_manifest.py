"""Manifest errors are one line that names the key and shows an example."""

import pytest

from checks.harness import manifest

GOOD = """
[project]
name = "expense-tracker"

[tool.roadmap]
stage = 1
domain = "expenses"
record = "expense"

[tool.roadmap.fields]
amount = { type = "decimal", required = true, min = 0.01, max = 10000 }
category = { type = "word", required = true }
note = { type = "text", required = false }

[tool.roadmap.cli]
command = "expense-tracker"
add = ["add", "--amount", "{amount}", "--category", "{category}", "--note", "{note}"]
list = ["list", "--json"]
show = ["show", "{id}", "--json"]
delete = ["delete", "{id}"]
summary = ["summary", "--json"]

[tool.roadmap.summary]
group_by = "category"
aggregate = "sum"
field = "amount"

[tool.roadmap.samples]
invalid = { amount = "twelve" }
"""


def _load(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(text)
    return manifest.load(tmp_path)


def test_a_complete_manifest_loads_with_defaults_filled_in(tmp_path):
    loaded = _load(tmp_path, GOOD)
    assert loaded.project == "expense-tracker"
    assert loaded.cli.data_env == "DATA_FILE" and loaded.id_field == "id"
    assert [f.name for f in loaded.required_fields] == ["amount", "category"]
    assert loaded.invalid == {"amount": "twelve"}


@pytest.mark.parametrize(
    ("broken", "names"),
    [
        (GOOD.replace('summary = ["summary", "--json"]\n', ""), "[tool.roadmap.cli] summary"),
        (GOOD.replace("stage = 1", 'stage = "one"'), "[tool.roadmap] stage"),
        (GOOD.replace('type = "word"', 'type = "string"'), "[tool.roadmap.fields.category] type"),
        (GOOD.replace('["show", "{id}", "--json"]', '["show", "--json"]'), "cli] show"),
        (GOOD.replace('aggregate = "sum"', 'aggregate = "avg"'), "aggregate"),
        (GOOD.replace('group_by = "category"', 'group_by = "colour"'), "group_by"),
        (GOOD.replace('invalid = { amount = "twelve" }', 'invalid = { cost = "x" }'), "invalid"),
        (GOOD.replace("[tool.roadmap]\n", "[tool.other]\n"), "[tool.roadmap]"),
        (GOOD + "\n[[[broken", "not valid TOML"),
    ],
)
def test_a_broken_manifest_is_one_line_that_names_the_key(tmp_path, broken, names):
    with pytest.raises(manifest.ManifestError) as raised:
        _load(tmp_path, broken)
    message = str(raised.value)
    assert names in message
    assert "\n" not in message


def test_a_folder_without_pyproject_is_named_in_the_error(tmp_path):
    with pytest.raises(manifest.ManifestError, match=r"has no pyproject\.toml"):
        manifest.load(tmp_path)


LAYERS = """
[tool.roadmap.layers]
cli = ["expense_tracker.cli"]
services = ["expense_tracker.services"]
domain = ["expense_tracker.models"]
api = ["expense_tracker.api"]
"""
API = """
[tool.roadmap.api]
app = "expense_tracker.api.main:create_app"
factory = true
collection = "/api/v1/spending"
pagination = "page-size"
update = "PUT"
"""


def test_the_api_table_loads_with_its_defaults(tmp_path):
    loaded = _load(tmp_path, GOOD + LAYERS + API)

    assert loaded.missing_table(3) is None
    assert loaded.api == manifest.Api(
        app="expense_tracker.api.main:create_app",
        collection="/api/v1/spending",
        pagination="page-size",
        update="PUT",
        update_fields=("category",),  # the first word field, when none are named
        factory=True,
        params={"page": "page", "size": "size"},  # the style's usual names
    )


@pytest.mark.parametrize(
    ("replace", "names"),
    [
        (("main:create_app", "main"), "[tool.roadmap.api] app: must be module:attribute"),
        (("/api/v1/spending", "api/v1/spending/"), "[tool.roadmap.api] collection"),
        (('"page-size"', '"cursor"'), "pagination: must be one of limit-offset, page-size"),
        (('"PUT"', '"POST"'), "update: must be one of PATCH, PUT"),
        (("factory = true", 'factory = "yes"'), "factory: must be true or false"),
        (('update = "PUT"', 'update = "PUT"\nupdate_fields = ["colour"]'), "names the field"),
    ],
)
def test_a_broken_api_table_is_one_line_that_names_the_key(tmp_path, replace, names):
    with pytest.raises(manifest.ManifestError, match="for example") as raised:
        _load(tmp_path, GOOD + LAYERS + API.replace(*replace))
    assert names in str(raised.value)
    assert "\n" not in str(raised.value)


def test_stage_3_needs_the_api_table_and_the_api_layer(tmp_path):
    without_api = _load(tmp_path, GOOD + LAYERS)
    stage, problem = without_api.missing_table(3) or (0, "")
    assert stage == 3 and "[tool.roadmap.api] is missing" in problem
    without_layer = _load(
        tmp_path, GOOD + LAYERS.replace('api = ["expense_tracker.api"]', "") + API
    )
    stage, problem = without_layer.missing_table(3) or (0, "")
    assert stage == 3 and "api: is missing" in problem
    assert without_layer.missing_table(2) is None  # stage 2 does not need them
    assert _load(tmp_path, GOOD).missing_table(4) == (2, _load(tmp_path, GOOD).missing_table(2)[1])


def test_console_scripts_are_read_from_setup_cfg_and_setup_py_without_running_them(tmp_path):
    (tmp_path / "setup.cfg").write_text(
        "[options.entry_points]\nconsole_scripts =\n    habits = habits.cli:main\n"
    )
    (tmp_path / "setup.py").write_text(
        "import sys\nsys.exit('never run')\nfrom setuptools import setup\n"
        "setup(entry_points={'console_scripts': ['habits-admin = habits.admin:run']})\n"
    )
    loaded = _load(tmp_path, GOOD.replace("[project]\n", '[project]\nscripts = {et = "et:m"}\n'))
    assert loaded.package.scripts == {
        "et": "et:m",
        "habits": "habits.cli:main",
        "habits-admin": "habits.admin:run",
    }


SETUP_PY = "import sys\nsys.exit('never run')\nfrom setuptools import setup\nsetup({})\n"


@pytest.mark.parametrize(
    ("files", "python", "said_in"),
    [
        ({"setup.py": SETUP_PY.format('python_requires=">=3.12"')}, ">=3.12", "setup.py"),
        ({"setup.cfg": "[options]\npython_requires = >=3.13\n"}, ">=3.13", "setup.cfg"),
        ({"setup.py": SETUP_PY.format("python_requires=WANTED")}, None, "pyproject.toml"),
        ({}, None, "pyproject.toml"),
    ],
    ids=["setup.py", "setup.cfg", "computed-in-setup.py", "nowhere"],
)
def test_python_requires_is_read_from_setup_cfg_and_setup_py_without_running_them(
    tmp_path, files, python, said_in
):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    package = _load(tmp_path, GOOD).package
    assert (package.requires_python, package.requires_python_in) == (python, said_in)


def test_requires_python_in_pyproject_wins_over_python_requires(tmp_path):
    (tmp_path / "setup.py").write_text(SETUP_PY.format('python_requires=">=3.12"'))
    (tmp_path / "setup.cfg").write_text("[options]\npython_requires = >=3.13\n")
    with_range = GOOD.replace("[project]\n", '[project]\nrequires-python = ">=3.11"\n')
    package = _load(tmp_path, with_range).package
    assert (package.requires_python, package.requires_python_in) == (">=3.11", "pyproject.toml")


AUTH = """
[tool.roadmap.auth]
register = "/v1/users"
token = "/v1/auth/token"
me = "/v1/users/me"
admin_only = "/v1/users"
create_admin = ["create-admin", "--username", "{username}", "--password", "{password}"]
cli_user_env = "EXPENSE_TRACKER_USER"
"""


def test_the_auth_table_loads_with_the_conventions_as_defaults(tmp_path):
    loaded = _load(tmp_path, GOOD + AUTH)
    auth = loaded.require_auth()
    assert (auth.register, auth.token_body, auth.login_field) == ("/v1/users", "form", "username")
    assert (auth.secret_env, auth.algorithm, auth.mode_env) == ("SECRET_KEY", "HS256", "APP_ENV")
    assert auth.cli_user_env == "EXPENSE_TRACKER_USER" and auth.min_password == 8
    assert loaded.migrations.upgrade == ("alembic", "upgrade", "head")
    assert loaded.migrations.scheme == "postgresql+psycopg"


def test_a_project_unlike_the_template_says_so_in_its_auth_table(tmp_path):
    variant = AUTH + 'token_body = "json"\nlogin_field = "email"\nsign_up = { name = "Ada" }\n'
    variant += 'mode_env = { name = "ENVIRONMENT", development = "local" }\n'
    variant += '[tool.roadmap.migrations]\nupgrade = ["python", "-m", "myapp.migrate"]\n'
    loaded = _load(tmp_path, GOOD + variant)
    auth = loaded.require_auth()
    assert (auth.token_body, auth.login_field, auth.sign_up) == (
        "json",
        "email",
        (("name", "Ada"),),
    )
    assert (auth.mode_env, auth.development) == ("ENVIRONMENT", "local")
    assert not loaded.migrations.alembic


@pytest.mark.parametrize(
    ("replace", "names"),
    [
        (('"{password}"]', '"PASSWORD"]'), "[tool.roadmap.auth] create_admin: has no {password}"),
        (('register = "/v1/users"', 'register = "v1/users"'), "[tool.roadmap.auth] register"),
        (('me = "/v1/users/me"', 'me = "/v1/users/me"\ntoken_body = "xml"'), "token_body"),
        (('me = "/v1/users/me"', 'me = "/v1/users/me"\nalgorithm = "none"'), "algorithm"),
    ],
)
def test_a_broken_auth_table_is_one_line_that_names_the_key(tmp_path, replace, names):
    with pytest.raises(manifest.ManifestError) as error:
        _load(tmp_path, GOOD + AUTH.replace(*replace))
    assert names in str(error.value) and "\n" not in str(error.value)


def test_a_login_before_stage_4_needs_no_admin_command_until_stage_4(tmp_path):
    """A stage-3 CLI project whose API already wants a login has no admins yet."""
    login_only = AUTH.replace(
        'create_admin = ["create-admin", "--username", "{username}", "--password", "{password}"]\n',
        "",
    )
    loaded = _load(tmp_path, GOOD + LAYERS + API + login_only)
    assert loaded.missing_table(3) is None
    assert not loaded.require_auth().makes_admins
    stage, problem = loaded.missing_table(4) or (0, "")
    assert stage == 4 and problem.startswith("[tool.roadmap.auth] create_admin: is missing")


def test_stage_4_needs_the_auth_table(tmp_path):
    loaded = _load(tmp_path, GOOD)
    with pytest.raises(manifest.ManifestError, match=r"\[tool.roadmap.auth\] is missing"):
        loaded.require_auth()


def test_the_table_a_stage_starts_with_is_written_in_the_learners_own_names(tmp_path):
    from checks.harness.manifest.examples import stage_table

    inventory = (
        GOOD.replace("expense-tracker", "stock-keeper")
        .replace("expense_tracker", "stock_keeper")
        .replace('record = "expense"', 'record = "item"')
    )
    loaded = _load(tmp_path, inventory)
    assert "expense" not in stage_table(loaded, 2) + stage_table(loaded, 3)
    assert 'services = ["stock_keeper.services"]' in stage_table(loaded, 2)
    assert 'collection = "/v1/items"' in stage_table(loaded, 3)
    assert 'cli_user_env = "STOCK_KEEPER_USER"' in stage_table(loaded, 4)
