"""Stage 6 · 06-deploy: a project anyone can run, checked without a container engine."""

MODULES = ("dockerfile", "compose", "workflow", "secrets", "readme", "boot")

# The brief's milestones ("### N. title" in stages/06-deploy/README.md), each with the
# checks that grade what it builds; task_id in results.json is N.
MILESTONES = {
    1: (
        "A Dockerfile a reviewer would accept",
        (
            "dockerfile-lint",
            "runs-as-a-user",
            "has-a-healthcheck",
            "port-matches",
            "no-secret-in-image",
            "multi-stage",
            "dockerignore-covers",
        ),
    ),
    2: ("Compose: the app and its database", ("compose-valid", "compose-sound")),
    3: (
        "A CI workflow that guards every push",
        ("workflow-valid", "workflow-runs-tests", "workflow-hardened"),
    ),
    4: ("No secret anywhere", ("no-secrets-in-tree", "no-secrets-in-history")),
    5: (
        "A README a hiring manager reads",
        ("readme-sections", "readme-links-resolve", "adrs-linked", "readme-setup-runs"),
    ),
    6: ("It boots as the image would", ("emulated-boot", "image-builds")),
}
