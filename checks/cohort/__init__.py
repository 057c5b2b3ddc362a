"""`roadmap-grade PATH…`: check a whole cohort and summarise it in one table.

Each repository is checked in its own checker process (one repo cannot disturb another),
several at once, with its reports in a subfolder of its own; the summary goes to
cohort.md, cohort.csv, cohort.json and cohort.html. Exit code: the worst of the runs
(2 > 1 > 0), or 2 when the input names something that cannot be graded.
"""

from checks.cohort.cli import main
from checks.cohort.grading import check_in_subprocess

__all__ = ["check_in_subprocess", "main"]
