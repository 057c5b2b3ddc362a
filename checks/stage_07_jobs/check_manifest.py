"""Stage 7 starts with a table of its own in the manifest."""

from checks.harness.catalog import check
from checks.harness.manifest import Manifest
from checks.harness.stage_start import require_table


@check("manifest-table")
def check_manifest_table(manifest: Manifest) -> None:
    """Your manifest has the [tool.roadmap.jobs] table that stage 7 starts with.

    Why: the checker drives your design, not ours: the table says where a job starts,
    which command is your worker, which payloads succeed, take seconds or fail, and your
    words for a job's states. Setting `stage = 7` is the first step of the stage; the
    table is the second.

    Fix: add the table the failure shows (your paths and fields filled in) to
    pyproject.toml, then build milestone 1 of the brief; docs/reference/manifest.md
    explains every key.
    """
    require_table(manifest, 7)
