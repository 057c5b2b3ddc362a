"""The repository door: the learner's files and git history, read in the copy."""
