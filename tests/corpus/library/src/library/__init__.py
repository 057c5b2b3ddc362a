"""The catalog of a small lending library."""
