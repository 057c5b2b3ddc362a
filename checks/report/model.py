"""The results of one run of the checker, independent of how they are shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from checks.harness.catalog import STAGES, Check, Stage, check_by_id

Status = Literal["pass", "fail", "error"]

EXIT_PASS, EXIT_FAIL, EXIT_UNCHECKABLE = 0, 1, 2


@dataclass
class CheckResult:
    check: Check
    status: Status
    problem: str | None = None  # one sentence, for a failure
    ran: str | None = None
    got: str | None = None
    expected: str | None = None
    fix: str | None = None  # the check's own fix unless the failure named a better one
    try_lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the check by its id), to travel from a parallel worker."""
        data = {k: v for k, v in asdict(self).items() if k != "check"}
        return {**data, "check": self.check.id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        return cls(**{**data, "check": check_by_id(data["check"])})

    def details(self) -> list[tuple[str, str]]:
        """The labelled parts of a failure that are present, in the order people read them."""
        parts = [
            ("problem", self.problem),
            ("ran", self.ran),
            ("got", self.got),
            ("expected", self.expected),
            ("fix", self.fix),
        ]
        return [(label, text) for label, text in parts if text]


@dataclass
class Run:
    """One checker run over one repository."""

    repo: str  # the repository's folder name
    project: str  # the project's name from pyproject.toml
    stage: int
    seed: int
    results: list[CheckResult] = field(default_factory=list)
    error: str | None = None  # set when the repository could not be checked at all

    @property
    def stages(self) -> list[Stage]:
        return [STAGES[n] for n in range(1, self.stage + 1) if n in STAGES]

    def of_stage(self, stage: Stage) -> list[CheckResult]:
        return [r for r in self.results if r.check.stage == stage]

    @property
    def required(self) -> list[CheckResult]:
        return [r for r in self.results if r.check.required]

    @property
    def exit_code(self) -> int:
        if self.error or any(r.status == "error" for r in self.results):
            return EXIT_UNCHECKABLE
        return EXIT_PASS if all(r.passed for r in self.required) else EXIT_FAIL

    @property
    def verdict(self) -> str:
        """One line that says where the learner stands."""
        if self.error:
            return f"Could not check this repository: {self.error}"
        passed = sum(r.passed for r in self.required)
        total = len(self.required)
        errors = [r.check.id for r in self.results if r.status == "error"]
        if errors:
            return f"The checker itself failed on {', '.join(errors)}; please report it."
        if passed == total:
            return f"Stage {self.stage} complete: all {total} required checks pass."
        return f"Stage {self.stage} not complete yet: {passed} of {total} required checks pass."
