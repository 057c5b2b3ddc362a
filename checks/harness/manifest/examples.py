"""The manifest table a stage starts with, written in the learner's own names.

Raising `stage` is the learner's next piece of work, not a broken repository: the check
that says a table is missing shows it ready to paste, with their package, their records'
collection and their command, never another preset's (`expense_tracker` for an
inventory project).
"""

from __future__ import annotations

import re

from checks.harness.manifest.core import Manifest

TABLES = {
    2: "[tool.roadmap.layers]",
    3: "[tool.roadmap.api]",
    4: "[tool.roadmap.auth]",
    7: "[tool.roadmap.jobs]",
}


def names(manifest: Manifest) -> dict[str, str]:
    """The learner's package, collection path and CLI-user variable, as best read."""
    package = manifest.package_name
    record = manifest.record.strip().lower()
    records = record + ("es" if record.endswith(("s", "x", "ch", "sh")) else "s")
    return {
        "package": package,
        "collection": "/v1/" + re.sub(r"[^\w-]+", "-", records).strip("-"),
        "user_env": re.sub(r"\W+", "_", package).upper() + "_USER",
    }


def stage_table(manifest: Manifest, stage: int) -> str:
    """The TOML the learner adds to start `stage`: only what their manifest still lacks."""
    named = names(manifest)
    package = named["package"]
    if stage == 2:
        cli = f'cli = ["{package}.cli"]\n' if manifest.cli else ""
        return (
            f'[tool.roadmap.layers]\n{cli}services = ["{package}.services"]\n'
            f'domain = ["{package}.models"]'
        )
    if stage == 3:
        layers_api = f'api = ["{package}.api"]  # under [tool.roadmap.layers]'
        if manifest.api is not None:
            return layers_api
        return (
            f'[tool.roadmap.api]\napp = "{package}.api.main:app"\n'
            f'collection = "{named["collection"]}"\npagination = "limit-offset"\n'
            f'update = "PATCH"\n\n# and under [tool.roadmap.layers]:\n{layers_api}'
        )
    if stage == 7:
        return jobs_table(manifest)
    admin = (
        'create_admin = ["create-admin", "--username", "{username}", "--password", '
        f'"{{password}}"]\ncli_user_env = "{named["user_env"]}"'
        if manifest.cli
        else f'admin_command = ["python", "-m", "{package}.create_admin", "{{username}}", '
        '"{password}"]'
    )
    return (
        '[tool.roadmap.auth]\nregister = "/v1/users"\ntoken = "/v1/auth/token"\n'
        f'me = "/v1/users/me"\nadmin_only = "/v1/users"\n{admin}\n\n'
        '[tool.roadmap.migrations]\nupgrade = ["alembic", "upgrade", "head"]'
    )


def jobs_table(manifest: Manifest) -> str:
    """Stage 7's table: an import of the learner's records from CSV text, as a job, with
    their own fields as the columns (the slow one asks for a delay the brief teaches)."""
    collection = names(manifest)["collection"]
    start = collection.rsplit("/", 1)[0] + "/imports"
    worker = (
        f'["{manifest.cli.command}", "worker"]'
        if manifest.cli
        else f'["python", "-m", "{manifest.package_name}.worker"]'
    )
    columns = [field for field in manifest.fields.values() if field.required]
    header = ",".join(field.name for field in columns)
    row = ",".join("{" + field.name + "}" for field in columns)
    wrong = next((field for field in columns if field.numeric), columns[0])
    broken = ",".join("not-a-number" if f is wrong else "{" + f.name + "}" for f in columns)
    csv = f'csv = "{header}\\n{row}\\n"'
    return (
        f'[tool.roadmap.jobs]\nstart = "{start}"\nworker = {worker}\n\n'
        f"[tool.roadmap.jobs.succeeds]\nbody = {{ {csv} }}\nresult = {{ imported = 1 }}\n\n"
        f"[tool.roadmap.jobs.slow]\nbody = {{ {csv}, delay_seconds = 3 }}\n\n"
        f'[tool.roadmap.jobs.fails]\nbody = {{ csv = "{header}\\n{broken}\\n" }}'
    )
