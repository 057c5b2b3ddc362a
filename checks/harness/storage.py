"""Throw-away storage for one check, named through environment variables.

Every learner program the checker starts (the CLI, the web server, the learner's own
tests) gets its data location from here, so a check never touches real data and two
programs given the same `Storage` share one database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checks.harness.workspace import Workspace

DATABASE_ENV = "DATABASE_URL"
OLD_DATA_ENV = "DATA_FILE"  # where a stage-1 program keeps its JSON file


@dataclass(frozen=True)
class Storage:
    data_env: str  # the manifest's cli.data_env
    data_file: Path  # the JSON file, or the SQLite file the database URL names
    old_data_file: Path  # where a stage-1 program would still write after moving on

    @classmethod
    def fresh(cls, workspace: Workspace, data_env: str) -> Storage:
        scratch = workspace.scratch("data")
        name = "data.db" if data_env == DATABASE_ENV else "data.json"
        return cls(data_env, scratch / name, scratch / "old-data.json")

    @property
    def uses_database(self) -> bool:
        return self.data_env == DATABASE_ENV

    def env(self) -> dict[str, str]:
        """The manifest's variable, plus DATA_FILE to catch a program that still writes
        its old file after moving to a database."""
        if self.uses_database:
            return {
                DATABASE_ENV: f"sqlite:///{self.data_file}",
                OLD_DATA_ENV: str(self.old_data_file),
            }
        return {self.data_env: str(self.data_file)}

    def setup_line(self) -> str:
        """The same storage as a shell line a learner can paste: a fresh temp folder."""
        if self.uses_database:
            return f"export {DATABASE_ENV}=sqlite:///$(mktemp -d)/data.db"
        return f"export {self.data_env}=$(mktemp -d)/data.json"
