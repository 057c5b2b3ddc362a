"""The course's own tooling: build the reference project, apply mutants, run the demo.

These need a checkout of the course repository (template/ and stages/), not only the
installed checker.
"""
