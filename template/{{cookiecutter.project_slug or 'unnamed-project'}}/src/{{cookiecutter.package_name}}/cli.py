"""The `{{ cookiecutter.project_slug }}` command line.

This is where stage 1 of the Backend Roadmap starts: its brief (stages/01-cli in the course
repo) walks you through adding the `add`, `list`, `show`, `delete` and `summary` commands
that `[tool.roadmap.cli]` in pyproject.toml promises. Keep this module about parsing
arguments and printing; put the rest in modules of their own.
"""

import argparse

from {{ cookiecutter.package_name }} import __version__


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line. Stage 1 adds subcommands here (`add_subparsers`)."""
    parser = argparse.ArgumentParser(
        prog="{{ cookiecutter.project_slug }}",
        description={{ cookiecutter._presets[cookiecutter.domain].description | tojson }},
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 for success, anything else for failure.

    `argv` defaults to the real command-line arguments; tests pass their own list instead.
    The console script calls `sys.exit(main())`, so the return value is the exit code.
    """
    parser = build_parser()
    parser.parse_args(argv)
    # No subcommands yet, so there is nothing to do but show what the program is.
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
