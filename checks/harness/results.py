"""The results of one run of the checker, independent of how they are shown.

A check ends as pass, fail, error (the checker's own bug) or blocked: it failed on a step
that another check grades, and that check failed too, so it was not really checked
(ADR 0009). `Run.resolve` decides blocked once every result is in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from checks.harness.catalog import STAGES, Check, Stage, check_by_id
from checks.harness.failure import NOT_MEASURED

Status = Literal["pass", "fail", "error", "blocked", "not-applicable"]

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
    step: str | None = None  # the check that grades the step this one failed on
    blocked_by: str | None = None  # set by `Run.resolve` when that check failed as well
    not_applicable: str | None = None  # why this check does not apply to the project

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def failed(self) -> bool:
        return self.status in ("fail", "error")

    @property
    def not_run(self) -> str:
        """Why a check that did not apply did not run, as every report says it: "does not
        apply: …", or "not measured: …" for a measurement nobody asked for or none took."""
        reason = self.not_applicable or ""
        return reason if reason.startswith(NOT_MEASURED) else f"does not apply: {reason}"

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
    notes: list[str] = field(default_factory=list)  # what a reader must know first
    # A note's one plain sentence, where its full text is for a mentor: the terminal shows
    # it and points at report.md, which keeps the full text (as results.json does).
    briefs: dict[str, str] = field(default_factory=dict)
    partial: bool = False  # only the checks chosen with --only ran, not the whole stage

    def resolve(self) -> Run:
        """Mark a failure as blocked when the check grading its failed step failed too.

        A failed step whose own check passed (or did not run, with --only) stays this
        check's failure: the step broke here, and the details say how.
        """
        by_id = {result.check.id: result for result in self.results}
        roots = {}
        for result in self.results:
            root, step, seen = None, result.step, {result.check.id}
            while step in by_id and step not in seen and by_id[step].failed:
                root = step  # that check failed too: this one was blocked by it, or by
                seen.add(step)  # whatever blocked that one in turn
                step = by_id[step].step
            if result.status == "fail" and root:
                roots[result.check.id] = root
        for check_id, root in roots.items():
            by_id[check_id].status, by_id[check_id].blocked_by = "blocked", root
        return self

    @property
    def stages(self) -> list[Stage]:
        return [STAGES[n] for n in range(1, self.stage + 1) if n in STAGES]

    def of_stage(self, stage: Stage) -> list[CheckResult]:
        return [r for r in self.results if r.check.stage == stage]

    @property
    def required(self) -> list[CheckResult]:
        return [r for r in self.results if r.check.required and r.status != "not-applicable"]

    @property
    def exit_code(self) -> int:
        if self.error or any(r.status == "error" for r in self.results):
            return EXIT_UNCHECKABLE
        return EXIT_PASS if all(r.passed for r in self.required) else EXIT_FAIL

    @property
    def next_fix(self) -> CheckResult | None:
        """The first required check that failed on its own (not blocked): fix it first."""
        return next((r for r in self.required if r.failed), None)

    @property
    def counted(self) -> str:
        """The required checks that pass, as the verdict and the terminal say it: "9 of 14
        required checks pass", "all 14 …" when every one does, and past stage 1 what the
        count holds (a run at stage 2 grades stage 1's checks too)."""
        required = self.required
        passed = sum(r.passed for r in required)
        scope = "" if self.partial or self.stage <= 1 else f" (stages 1 to {self.stage})"
        share = f"all {passed}" if passed == len(required) else f"{passed} of {len(required)}"
        return f"{share} required checks{scope} pass"

    @property
    def verdict(self) -> str:
        """Where the learner stands, in one line."""
        if self.error:
            return f"Could not check this repository: {self.error}"
        errors = [r.check.id for r in self.results if r.status == "error"]
        if errors:
            return f"The checker itself failed on {', '.join(errors)}; please report it."
        required = self.required
        passed = sum(r.passed for r in required)
        if passed == len(required) and self.partial:  # never "complete": most never ran
            return f"{_selected(len(required))}; the rest of stage {self.stage} was not checked."
        if passed == len(required):
            return f"Stage {self.stage} complete: {self.counted}."
        blocked = sum(r.status == "blocked" for r in required)
        counts = self.counted
        if blocked:
            counts += f", {blocked} not checked (blocked by a failure)"
        return f"Stage {self.stage} not complete yet: {counts}."

    @property
    def next_step(self) -> str | None:
        """`Next: fix <check> — <problem>`: the one line that ends a run with failures."""
        first = self.next_fix
        if self.error or first is None:
            return None
        return f"Next: fix {first.check.id} — {first.problem or first.check.criterion}"


def _selected(count: int) -> str:
    """What a run of checks chosen with --only proved, when each of them passes."""
    if count == 0:
        return "You chose only advisory checks with --only, which never hold a stage back"
    if count == 1:
        return "The required check you chose with --only passes"
    return f"The {count} required checks you chose with --only pass"
