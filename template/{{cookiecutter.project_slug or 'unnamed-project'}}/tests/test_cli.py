"""Tests of the command line. They call `main()` directly and read its output with capsys."""

import pytest

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.cli import main


def test_help_exits_zero_and_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    # argparse handles --help by printing and raising SystemExit, as a real run would exit.
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])

    assert exit_info.value.code == 0
    assert "usage: {{ cookiecutter.project_slug }}" in capsys.readouterr().out


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])

    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == "{{ cookiecutter.project_slug }} " + __version__
