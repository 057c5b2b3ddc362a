"""One row of the cohort table: where one learner stands, read from their results.json."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from checks.report.exercism import checks_of, roadmap_status

EXIT_BY_STATUS = {"pass": 0, "fail": 1}  # anything else could not be checked: 2


@dataclass(frozen=True)
class Row:
    key: str  # matches this learner across runs: their repo's path or URL, or artifact folder
    learner: str  # the author of their last commit, else the folder's name
    repo: str  # the folder's name
    stage: int | None
    passed: int  # required checks that pass
    required: int  # required checks that apply
    status: str  # pass, fail or error (could not be checked)
    exit_code: int
    first_failing: str | None  # the check to work on first
    failing: list[str]  # required checks that failed on their own (not those they blocked)
    passing: list[str]  # every check that passes, advisory ones included
    message: str  # why the repo could not be checked, when it could not
    commit: str = ""  # short SHA of the last commit
    date: str = ""  # of the last commit, YYYY-MM-DD
    report: str = ""  # report.md, relative to the cohort's report folder
    graded: str = ""  # when this run happened, ISO 8601
    newly_passing: list[str] | None = None  # with --compare: checks passing since last time
    no_progress_since: str | None = None  # with --compare: the earlier run's date, if stuck

    @classmethod
    def from_results(cls, results: dict[str, Any], **facts: Any) -> Row:
        """A row from a results.json document (of either shape: ADR 14); `facts` are those
        the document lacks. The roadmap's statuses grade, not Exercism's."""
        checks = [(c, roadmap_status(c)) for c in checks_of(results)]
        required = [(c, s) for c, s in checks if c.get("required") and s != "not-applicable"]
        failing = [str(c.get("id")) for c, s in required if s in ("fail", "error")]
        status = str(roadmap_status(results) or "error")
        facts.setdefault("exit_code", EXIT_BY_STATUS.get(status, 2))
        why = results.get("message") or (results.get("verdict") if status == "error" else "")
        return cls(
            stage=results.get("stage") or None,
            passed=sum(s == "pass" for _, s in required),
            required=len(required),
            status=status,
            first_failing=failing[0] if failing else None,
            failing=failing,
            passing=[str(c.get("id")) for c, s in checks if s == "pass"],
            message=str(why or ""),
            **facts,
        )

    @classmethod
    def unchecked(cls, why: str, **facts: Any) -> Row:
        """A row for a repo the checker never reached (a clone that failed, say)."""
        return cls.from_results({"status": "error", "message": why, "tests": []}, **facts)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def stuck_first(row: Row) -> tuple[bool, int, str, str]:
    """Errors first, then the fewest required checks passing; ties by learner name."""
    return (row.status != "error", row.passed, row.learner.casefold(), row.key)
