"""Stage 2 · 02-layers: domain, services and a SQLAlchemy repository on SQLite; Git."""

MODULES = ("manifest", "storage", "layers", "service_tests", "git")

# The brief's milestones ("### N. title" in stages/02-layers/README.md), each with the
# checks that grade what it builds. The rubric groups checks by them; task_id is N.
MILESTONES = {
    1: ("A clean start in Git", ("manifest-table", "nothing-junk-committed", "gitignore-covers")),
    4: ("A session per unit of work, and DATABASE_URL", ("data-in-sqlite",)),
    5: ("Service tests with a fake", ("service-tests",)),
    6: ("Hold the boundaries", ("cli-without-sqlalchemy", "services-without-cli")),
    7: ("A green check, and a history worth reading", ("git-history", "commit-messages")),
}
