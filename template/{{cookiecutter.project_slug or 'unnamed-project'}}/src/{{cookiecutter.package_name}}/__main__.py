"""Run the command line with `python -m {{ cookiecutter.package_name }}`."""

from {{ cookiecutter.package_name }}.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
