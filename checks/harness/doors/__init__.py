"""The doors: one package per way the checker reaches the learner's program."""
