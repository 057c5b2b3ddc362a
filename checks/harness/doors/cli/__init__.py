"""The CLI door: the learner's console command, run once per action."""
