"""A GitHub Actions workflow, read as GitHub reads it: its triggers, jobs, steps, services.

The schema (check-jsonschema's vendored one) says whether the file has the right shape;
these are the few rules of meaning the checker adds where actionlint would (ADR 0019):
`needs` naming jobs that exist, expressions that close, `uses` with a ref.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

USES = re.compile(r"^(?:\./|docker://|[\w.-]+/[\w.-]+(?:/[^@\s]+)?@\S+$)")
FULL_SHA = re.compile(r"@[0-9a-f]{40}$")


@dataclass(frozen=True)
class Step:
    job: str
    index: int
    name: str
    uses: str
    run: str

    @property
    def label(self) -> str:
        return f"job {self.job!r}, step {self.index + 1}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class Job:
    id: str
    data: dict[str, Any]

    @property
    def steps(self) -> list[Step]:
        found = self.data.get("steps")
        steps = []
        for index, step in enumerate(found if isinstance(found, list) else []):
            if isinstance(step, dict):
                steps.append(
                    Step(
                        self.id,
                        index,
                        str(step.get("name") or ""),
                        str(step.get("uses") or ""),
                        str(step.get("run") or ""),
                    )
                )
        return steps

    def service_images(self) -> list[str]:
        services = self.data.get("services")
        images = []
        for spec in services.values() if isinstance(services, dict) else []:
            if isinstance(spec, dict) and isinstance(spec.get("image"), str):
                images.append(spec["image"])
            elif isinstance(spec, str):
                images.append(spec)
        return images

    def needs(self) -> list[str]:
        needs = self.data.get("needs")
        if isinstance(needs, str):
            return [needs]
        return [str(n) for n in needs] if isinstance(needs, list) else []


@dataclass(frozen=True)
class Workflow:
    path: str
    data: dict[str, Any]

    @property
    def triggers(self) -> set[str]:
        on = self.data.get("on")
        if isinstance(on, str):
            return {on}
        if isinstance(on, list):
            return {str(event) for event in on}
        return {str(event) for event in on} if isinstance(on, dict) else set()

    @property
    def jobs(self) -> list[Job]:
        jobs = self.data.get("jobs")
        if not isinstance(jobs, dict):
            return []
        return [Job(str(name), spec) for name, spec in jobs.items() if isinstance(spec, dict)]

    def steps(self) -> list[Step]:
        return [step for job in self.jobs for step in job.steps]


def commands(run: str) -> list[list[str]]:
    """The commands of a `run:` script, each as words (`uv run` and `python -m` as
    written), as far as a shell's plain lines go."""
    found = []
    for line in re.split(r"\n|&&|\|\||;", run):
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        if words:
            found.append(words)
    return found


def meaning_problems(workflow: Workflow, text: str) -> list[str]:
    """What the schema cannot see and GitHub would refuse or misrun."""
    problems = []
    ids = {job.id for job in workflow.jobs}
    for job in workflow.jobs:
        for need in job.needs():
            if need not in ids:
                problems.append(f"job {job.id!r} needs {need!r}, which is not a job of this file")
        for step in job.steps:
            if step.uses and not USES.match(step.uses):
                problems.append(
                    f"{step.label}: uses: {step.uses} names no version (owner/repo@ref, ./path "
                    "or docker://image)"
                )
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("${{") != line.count("}}") and "${{" in line:
            problems.append(f"line {number}: an expression `${{{{` is not closed by `}}}}`")
    return problems


def unpinned(workflow: Workflow) -> list[Step]:
    """Steps that use another repository's action by a tag or branch, not a full commit."""
    return [
        step
        for step in workflow.steps()
        if step.uses
        and not step.uses.startswith(("./", "docker://"))
        and not FULL_SHA.search(step.uses)
    ]
