"""The summary: the first piece of logic that is more than storing and reading back."""

from collections import defaultdict
from decimal import Decimal

from checks.harness.catalog import check
from checks.harness.doors.cli.seed import Seeded
from checks.harness.failure import CheckFailed, command_line, outcome, require_success
from checks.harness.manifest import Manifest
from checks.harness.values import as_number
from checks.harness.wording import words_for

CENT = Decimal("0.01")


@check("summary")
def check_summary(seeded: Seeded, manifest: Manifest) -> None:
    """The summary command aggregates every record correctly per group.

    Why: aggregation is where real bugs hide: a wrong field, a group lost, floats that
    drift by a cent. Reports like this are what users of a backend actually ask for.

    Fix: {summary_fix}
    """
    cli = seeded.cli
    spec = cli.summary
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for record in seeded.records:  # two records in one group, one in another
        group = record[spec.group_by]
        expected[group] += Decimal(record[spec.field]) if spec.field else 1
    result = cli.run(list(cli.config.summary))
    require_success(result, "printing the summary")
    got = cli.json_output(result, "a JSON object of group → number")
    if not isinstance(got, dict) or not _agrees(got, expected):
        if isinstance(got, dict) and set(got) - set(expected):
            cli.listing()  # groups this check never used: fails if the storage was not its own
        records = words_for(manifest)["records"]
        what = f"the sum of {spec.field}" if spec.field else f"the number of {records}"
        raise CheckFailed(
            f"the summary is not {what} per {spec.group_by}",
            ran=command_line(result.argv),
            got=outcome(result),
            expected="{" + ", ".join(f'"{g}": {v}' for g, v in expected.items()) + "}",
        )


def _agrees(got: dict[str, object], expected: dict[str, Decimal]) -> bool:
    if set(got) != set(expected):
        return False
    for group, total in expected.items():
        number = as_number(got[group])
        if number is None or number.quantize(CENT) != total.quantize(CENT):
            return False
    return True
