"""The web API: HTTP in front of the same services the command line uses."""
