"""The tools door: programs the checker runs over the learner's code (pytest, import-linter)."""
