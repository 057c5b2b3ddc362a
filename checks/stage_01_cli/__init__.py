"""Stage 1 · 01-cli: a packaged command-line tool with file storage, errors and tests."""

# The check modules, foundations first: within a milestone the rubric keeps this order.
MODULES = ("install", "records", "errors", "summary", "own_tests", "organization")

# The brief's milestones ("### N. title" in stages/01-cli/README.md), each with the checks
# that grade what it builds. The rubric groups checks by them; results.json's task_id is N.
MILESTONES = {
    1: ("It installs and answers `--help`", ("installs", "help")),
    2: (
        "Add and list, stored where `DATA_FILE` says",
        ("uses-data-file", "add-then-list", "list-json", "code-organization"),
    ),
    3: (
        "Show and delete by id",
        ("show-by-id", "delete-by-id", "ids-stay-unique", "show-unknown-id", "delete-unknown-id"),
    ),
    4: ("Bad input fails cleanly", ("rejects-invalid-value", "rejects-missing-field")),
    5: ("The summary", ("summary",)),
    7: ("Tests and a green check", ("own-tests-pass",)),
}
