"""The deploy door (stage 6): what would run the learner's project in production.

The checker reads the learner's Dockerfile, compose file, CI workflow and README as the
image builder, `docker compose` and GitHub would (parsers of its own, in the pristine copy,
never running learner code), runs its own pinned tools over them (hadolint,
check-jsonschema, zizmor, detect-secrets: `tools.py`, `secrets.py`), and boots the app as
the image would, without a container engine (`boot.py`); where an engine works, it also
builds the image (`engine.py`).
"""
