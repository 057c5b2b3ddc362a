"""YAML as compose and GitHub read it: YAML 1.2's booleans, bounded, never a traceback.

PyYAML speaks YAML 1.1, where `on`, `off`, `yes` and `no` are booleans: a workflow's
`on:` key would read as `True`. GitHub and compose read YAML 1.2, where only `true` and
`false` are; so does this loader. A learner's file is data from outside: it is read only
up to a size, and anchors that would multiply a document are refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000  # a compose file or a workflow is a page or two
MAX_ALIASES = 100  # a "billion laughs" document is made of aliases of aliases


class YamlError(Exception):
    """The file is not YAML the checker can read; the message says where and why."""


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's booleans only."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_text(text: str, name: str) -> Any:
    """The document in `text` (the file `name`, for messages)."""
    if text.count("*") > MAX_ALIASES and len(re.findall(r"(?m)[\s\[,]\*\w", text)) > MAX_ALIASES:
        raise YamlError(f"{name} uses more than {MAX_ALIASES} YAML aliases (*name)")
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise YamlError(f"{name} is not valid YAML{where}: {problem}") from None


def load(path: Path, name: str) -> Any:
    """The document in the file at `path`."""
    if path.stat().st_size > MAX_BYTES:
        raise YamlError(f"{name} is larger than {MAX_BYTES // 1000} kB")
    return load_text(path.read_text("utf-8", errors="replace"), name)
