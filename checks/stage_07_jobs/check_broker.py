"""No message broker among the dependencies, unless a decision record says why."""

import re
import tomllib
from pathlib import Path

from checks.harness.catalog import check
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

# Distributions that talk to a broker or a queue server, and what a decision names.
BROKERS = {
    "redis": "Redis",
    "valkey": "Valkey",
    "celery": "Celery",
    "rq": "RQ",
    "dramatiq": "Dramatiq",
    "huey": "Huey",
    "arq": "arq",
    "taskiq": "Taskiq",
    "kombu": "Kombu",
    "kafka-python": "Kafka",
    "confluent-kafka": "Kafka",
    "aiokafka": "Kafka",
    "pika": "RabbitMQ",
    "aio-pika": "RabbitMQ",
    "aiormq": "RabbitMQ",
    "nats-py": "NATS",
    "faststream": "FastStream",
    "pulsar-client": "Pulsar",
    "google-cloud-pubsub": "Pub/Sub",
    "azure-servicebus": "Service Bus",
}
DECISION_FOLDERS = {"decisions", "adr", "adrs"}
SKIPPED = {".git", ".venv", "venv", "node_modules", "__pycache__"}
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@check("no-broker", advisory=True)
def check_no_broker(workspace: Workspace, manifest: Manifest) -> None:
    """No Redis, Celery, Kafka or other broker client in your dependencies, unless an ADR says why.

    Why: the jobs live in the PostgreSQL you already run: a queue there is one less
    service to deploy, secure, back up and watch, and a job is saved in the same
    transaction as the data it belongs to. A broker earns its place with a reason
    (volume, fan-out, other consumers) that a decision record states.

    Fix: take jobs from a table with `FOR UPDATE SKIP LOCKED`, and remove the broker's
    client from your dependencies; or, if you need the broker, write an ADR in
    docs/decisions/ that names it and says why.
    """
    project = workspace.pristine
    declared = {_normal(name) for name in _dependencies(project)}
    found = sorted(name for name in declared if name in BROKERS)
    if not found:
        return
    decisions = _decisions(project, manifest.deploy.decisions)
    unexplained = [name for name in found if not any(_names(text, name) for text in decisions)]
    if unexplained:
        shown = ", ".join(f"{name} ({BROKERS[name]})" for name in unexplained)
        raise CheckFailed(
            f"your dependencies hold a broker's client, and no decision record names it: {shown}",
            got=f"dependencies: {', '.join(sorted(declared))}\n"
            f"decision records read: {len(decisions)}",
            expected="jobs in PostgreSQL with no broker, or an ADR "
            f"({manifest.deploy.decisions}/*.md) that names {BROKERS[unexplained[0]]} and "
            "says why it is needed",
        )


def _dependencies(project: Path) -> list[str]:
    """The names in `[project] dependencies` and its extras, and in requirements files."""
    lines: list[object] = []
    try:
        data = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    table = data.get("project") if isinstance(data.get("project"), dict) else {}
    assert isinstance(table, dict)
    lines += list(table.get("dependencies") or [])
    extras = table.get("optional-dependencies") or {}
    for group in extras.values() if isinstance(extras, dict) else []:
        lines += list(group) if isinstance(group, list) else []
    for path in [*project.glob("requirements*.txt"), *project.glob("requirements/*.txt")]:
        try:
            lines += path.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            continue
    names = [NAME.match(line) for line in lines if isinstance(line, str)]
    return [found[1] for found in names if found and not found[0].lstrip().startswith("-")]


def _decisions(project: Path, declared: str) -> list[str]:
    """The text of every Markdown file in the manifest's decisions folder, or in any folder
    called decisions or adr: a decision is where the learner wrote it."""
    texts = []
    folder = project / declared
    for path in project.rglob("*.md"):
        parts = set(path.relative_to(project).parts[:-1])
        named = {part.lower() for part in parts} & DECISION_FOLDERS
        if parts & SKIPPED or not (named or path.is_relative_to(folder)):
            continue
        try:
            texts.append(path.read_text("utf-8", errors="replace"))
        except OSError:
            continue
    return texts


def _names(text: str, name: str) -> bool:
    words = {name, BROKERS[name]}
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.I) for w in words)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
