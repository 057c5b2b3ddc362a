"""What a failure's own output says about the step it really stands on.

A learner's program that crashes on a column or a table the migrations never made (a
model changed without a migration) fails whichever check happened to run it: a listing,
a create, the CLI's `add`. Its root is the migrations being out of step with the models,
which 04-auth/migrations-match-the-models grades; the crash names it in the database's
own words, so the failure is marked as standing on that step. When that check failed
too, the others are blocked by it (ADR 0009); when it passed, each keeps its failure.
"""

from __future__ import annotations

import re

from checks.harness.doors.storage.template import DRIFT_STEP
from checks.harness.failure import CheckFailed

FROM_STAGE = 4  # the stage whose checks compare the models with the migrations
SCHEMA_ERRORS = re.compile(
    r"UndefinedColumn|UndefinedTable|column \"?[\w.]+\"? (of relation \"?\w+\"? )?does not "
    r"exist|relation \"?[\w.]+\"? does not exist|no such (column|table)"
)


def step_behind(failure: CheckFailed, stage: int) -> str | None:
    """The check grading the step `failure` shows it stands on, when its output says."""
    if stage < FROM_STAGE:
        return None
    said = "\n".join(text for text in (failure.problem, failure.got) if text)
    return DRIFT_STEP if SCHEMA_ERRORS.search(said) else None
