"""One row of the cohort table: where one learner stands, read from their results.json."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from checks.report.exercism import checks_of, roadmap_status

EXIT_BY_STATUS = {"pass": 0, "fail": 1}  # anything else could not be checked: 2
FAILED = ("fail", "error")  # on its own: a blocked check failed at another's step


@dataclass(frozen=True)
class Row:
    key: str  # matches this learner across runs: their repo's path or URL, or artifact folder
    learner: str  # the mentor's label, else the folder's name (never a commit's author)
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
    advisory_passed: int = 0  # advisory checks that pass
    advisory: int = 0  # advisory checks that apply
    advisory_failing: list[str] = field(default_factory=list)  # failed on their own
    commit: str = ""  # short SHA of the last commit
    date: str = ""  # of the last commit, YYYY-MM-DD
    report: str = ""  # report.md, relative to the cohort's report folder
    graded: str = ""  # when this run happened, ISO 8601
    # With --compare, from the earlier cohort.json (which carries its own history along):
    newly_passing: list[str] | None = None  # checks passing since; None: new in this run
    moved_up_from: int | None = None  # the earlier run's stage, when this one is higher
    runs_without_progress: int | None = None  # runs in a row that moved nothing, if stuck
    no_progress_since: str | None = None  # the date of the last run that moved, if stuck

    @classmethod
    def from_results(cls, results: dict[str, Any], **facts: Any) -> Row:
        """A row from a results.json document (of either shape: ADR 14); `facts` are those
        the document lacks. The roadmap's statuses grade, not Exercism's."""
        checks = [(c, roadmap_status(c)) for c in checks_of(results)]
        applying = [(c, s) for c, s in checks if s != "not-applicable"]
        required = [(str(c.get("id")), s) for c, s in applying if c.get("required")]
        advisory = [(str(c.get("id")), s) for c, s in applying if not c.get("required")]
        failing = [check for check, s in required if s in FAILED]
        said = roadmap_status(results)
        status = str(said) if said in EXIT_BY_STATUS else "error"
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
            advisory_passed=sum(s == "pass" for _, s in advisory),
            advisory=len(advisory),
            advisory_failing=[check for check, s in advisory if s in FAILED],
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
