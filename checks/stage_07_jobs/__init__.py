"""Stage 7 · 07-jobs (capstone): slow work leaves the request, and survives anything."""

MODULES = ("manifest", "accepted", "status", "worker", "failures", "ownership", "once", "broker")

# The brief's milestones ("### N. title" in stages/07-jobs/README.md), each with the checks
# that grade what it builds; task_id in results.json is N. The table comes first, as in
# stages 2-4. The checks that start a worker and wait on it stand on needs-a-worker, once
# milestone 3 has built it: the status of milestone 2 is graded with whatever finishes the
# job, so it does not.
MILESTONES = {
    1: ("Accepted, not done", ("manifest-table", "accepted-202")),
    2: ("A status you can poll", ("status-reaches-succeeded", "retry-after")),
    3: (
        "A worker of its own, on PostgreSQL",
        ("needs-a-worker", "survives-api-kill", "worker-crash"),
    ),
    4: ("Failures are recorded, not thrown", ("failure-recorded",)),
    5: ("Jobs belong to users", ("others-jobs-404",)),
    6: (
        "Exactly once, and no broker without a reason",
        ("runs-once", "idempotency-key", "no-broker"),
    ),
}
