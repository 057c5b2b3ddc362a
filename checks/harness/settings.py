"""What the command line decided for one run, handed to every check (and every worker)."""

from __future__ import annotations

import base64
import json
import pickle
from dataclasses import dataclass
from pathlib import Path

from checks.harness.containment import Containment
from checks.harness.doors.storage.postgres_run import RunDatabases
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace


@dataclass(frozen=True)
class Settings:
    """What the command line decided, handed to the checks."""

    repo: Path
    manifest: Manifest
    stage: int
    seed: int
    timeout: float  # for one run of the learner's program
    only: tuple[str, ...] = ()
    tests_timeout: float = 120.0  # for one run of the learner's own test suite
    # The project, copied and installed once by the checker and shared by every worker;
    # `state` is the checker's private folder where install outcomes appear (preparation).
    workspace: Workspace | None = None
    state: Path | None = None
    containment: Containment | None = None  # how learner programs are held in
    database_url: str | None = None  # --database-url: the PostgreSQL server of stage 4
    databases: RunDatabases | None = None  # the run's databases on it (stage 4 on)
    starts: int | None = None  # a stage whose manifest table is missing (stage_start.py)
    cpus: float | None = None  # --cpus: the CPUs' time the run's programs may use together
    mutation: bool = False  # --mutation: mutation testing of the services (slow, opt-in)
    mutation_budget: float = 60.0  # --mutation-budget: seconds mutmut may run
    fuzz_budget: float = 30.0  # --fuzz-budget: seconds the fuzzer may spend (stage 5)

    @property
    def graded_through(self) -> int:
        """The last stage whose checks run in full: the one before a stage just started."""
        return self.starts - 1 if self.starts else self.stage

    def to_json(self) -> str:
        """The settings as a command-line value, for parallel workers to rebuild."""
        fields = {"repo": str(self.repo), "stage": self.stage, "seed": self.seed}
        # The manifest travels as read, once, before any learner code ran: a worker never
        # reads a pyproject.toml that learner code could have rewritten.
        fields["manifest"] = base64.b64encode(pickle.dumps(self.manifest)).decode("ascii")
        fields |= {"timeout": self.timeout, "only": list(self.only)}
        fields["tests_timeout"] = self.tests_timeout
        fields["starts"] = self.starts
        fields |= {"mutation": self.mutation, "mutation_budget": self.mutation_budget}
        fields["fuzz_budget"] = self.fuzz_budget
        if self.workspace and self.state:
            fields["workspace"] = str(self.workspace.root)
            fields["in_repository"] = self.workspace.in_repository
            fields["state"] = str(self.state)
        if self.containment:
            fields["containment"] = self.containment.to_json()
        if self.databases:
            fields["databases"] = self.databases.to_json()
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data = json.loads(text)
        repo = Path(data["repo"])
        return cls(
            repo=repo,
            manifest=pickle.loads(base64.b64decode(data["manifest"])),
            stage=data["stage"],
            seed=data["seed"],
            timeout=data["timeout"],
            only=tuple(data["only"]),
            tests_timeout=data["tests_timeout"],
            starts=data.get("starts"),
            mutation=data.get("mutation", False),
            mutation_budget=data.get("mutation_budget", 60.0),
            fuzz_budget=data.get("fuzz_budget", 30.0),
            workspace=Workspace(repo, Path(data["workspace"]), data.get("in_repository", ""))
            if "workspace" in data
            else None,
            state=Path(data["state"]) if "state" in data else None,
            containment=Containment.from_json(data["containment"])
            if "containment" in data
            else None,
            databases=RunDatabases.from_json(data["databases"]) if "databases" in data else None,
        )
