"""Stage 5 · 05-quality: tests the checker can trust, and a service you can operate."""

MODULES = ("pyramid", "gaps", "lint", "settings", "logs", "health", "fuzz")

# The brief's milestones ("### N. title" in stages/05-quality/README.md), each with the
# checks that grade what it builds; task_id in results.json is N.
MILESTONES = {
    1: (
        "A test pyramid",
        ("unit-tests-without-database", "coverage-threshold", "test-gap", "mutation-score"),
    ),
    2: ("Lint", ("ruff-clean", "ruff-baseline")),
    3: (
        "Settings from the environment",
        ("refuses-missing-settings", "env-example-complete", "env-file-not-tracked"),
    ),
    4: (
        "One log line per request",
        (
            "request-log-lines",
            "request-id-echoed",
            "errors-logged-not-shown",
            "no-secrets-in-logs",
        ),
    ),
    5: ("Health that tells the truth", ("health-pass", "health-fail")),
    6: (
        "An API fuzzing cannot break",
        (
            "fuzz-no-server-errors",
            "fuzz-responses-match-schema",
            "fuzz-routes-need-a-token",
            "fuzz-documented-status",
            "fuzz-valid-data-accepted",
        ),
    ),
}
