"""Answers `--help` only with the `six` its uv.lock pins, as code tested against one
version of a library may break on the next."""

import sys
from importlib.metadata import version

TESTED_WITH = "1.16.0"


def main() -> int:
    found = version("six")
    if found != TESTED_WITH:
        print(f"error: tested with six {TESTED_WITH}, got six {found}", file=sys.stderr)
        return 1
    print("usage: pinned-expenses [-h] {add,list,show,delete,summary}")
    return 0
