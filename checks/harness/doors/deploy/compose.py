"""A compose file, read as `docker compose config` reads it: services, variables, ports.

Values are interpolated the way compose does (`${VAR}`, `${VAR:-default}`,
`${VAR:?message}`, `$$`), from values the checker chooses (`.env.example`'s, then its
own), never from the learner's `.env`. What the file says *literally* (before
interpolation) is kept beside, for the checks that ask whether a password is written in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])"
    r"(?P<word>(?:[^{}]|\{[^{}]*\})*))?\}|(?P<bare>[A-Za-z_]\w*))"
)
REFERENCE = re.compile(r"(?<!\$)\$(\{[A-Za-z_]|[A-Za-z_])")  # a variable, not "$$"


def interpolate(text: str, values: Mapping[str, str], missing: list[str] | None = None) -> str:
    """`text` with compose's variables replaced; the messages of `${VAR:?message}` whose
    variable has no value go to `missing` (compose refuses the file then)."""

    def resolve(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["bare"]
        value, op = values.get(name), match["op"] or ""
        word = interpolate(match["word"] or "", values, missing)
        unset_or_empty = value is None or (op.startswith(":") and value == "")
        if op.endswith("-"):
            return word if unset_or_empty else str(value)
        if op.endswith("+"):
            return "" if unset_or_empty else word
        if op.endswith("?"):
            if unset_or_empty and missing is not None:
                missing.append(f"{name}: {word or 'required'}")
            return value or ""
        return value or ""

    return INTERPOLATION.sub(resolve, text)


def refers_to_variable(text: str) -> bool:
    """Whether a value as written takes something from a variable."""
    return bool(REFERENCE.search(text))


def _interpolated(value: Any, values: Mapping[str, str], missing: list[str]) -> Any:
    if isinstance(value, str):
        return interpolate(value, values, missing)
    if isinstance(value, list):
        return [_interpolated(item, values, missing) for item in value]
    if isinstance(value, dict):
        return {key: _interpolated(item, values, missing) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Port:
    container: int | None  # None: not a number ("${PORT}" unresolved, a range)
    published: str  # as written on the host side ("" when not published)
    host_ip: str


@dataclass(frozen=True)
class Service:
    name: str
    data: dict[str, Any]  # interpolated
    raw: dict[str, Any]  # as written

    @property
    def image(self) -> str:
        image = self.data.get("image")
        return image if isinstance(image, str) else ""

    def environment(self, *, written: bool = False) -> dict[str, str | None]:
        """`environment:` as a mapping (its list form too); None for a name with no value,
        which compose takes from its own environment."""
        found = (self.raw if written else self.data).get("environment") or {}
        if isinstance(found, list):
            pairs = [str(item).partition("=") for item in found]
            return {name: (value if sep else None) for name, sep, value in pairs}
        if isinstance(found, dict):
            return {str(k): None if v is None else _scalar(v) for k, v in found.items()}
        return {}

    def env_files(self) -> list[tuple[str, bool]]:
        """`env_file:` as (path, required) pairs, in order."""
        found = self.data.get("env_file") or []
        items = found if isinstance(found, list) else [found]
        files = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                files.append((item["path"], item.get("required", True) is not False))
            elif isinstance(item, str):
                files.append((item, True))
        return files

    def ports(self) -> list[Port]:
        found = self.data.get("ports") or []
        return [_port(item) for item in (found if isinstance(found, list) else [])]

    def depends_on(self) -> dict[str, str]:
        """The services this one waits for, with the condition (compose's default:
        `service_started`)."""
        found = self.data.get("depends_on") or {}
        if isinstance(found, list):
            return {str(name): "service_started" for name in found}
        if isinstance(found, dict):
            return {
                str(name): str((spec or {}).get("condition", "service_started"))
                if isinstance(spec, dict) or spec is None
                else "service_started"
                for name, spec in found.items()
            }
        return {}

    def healthcheck(self) -> str:
        """The healthcheck's test as one line ("" without one, or with `disable`)."""
        check = self.data.get("healthcheck")
        if not isinstance(check, dict) or check.get("disable") is True:
            return ""
        test = check.get("test")
        if isinstance(test, list):
            words = [str(word) for word in test]
            return " ".join(words[1:] if words and words[0] in ("CMD", "CMD-SHELL") else words)
        return str(test or "")

    def volumes(self) -> list[tuple[str, str]]:
        """(source, target) of each mount, short or long syntax."""
        found = self.data.get("volumes") or []
        mounts = []
        for item in found if isinstance(found, list) else []:
            if isinstance(item, str):
                parts = item.split(":")
                if len(parts) >= 2:
                    mounts.append((parts[0], parts[1]))
                else:
                    mounts.append(("", parts[0]))
            elif isinstance(item, dict):
                mounts.append((str(item.get("source", "")), str(item.get("target", ""))))
        return mounts

    def command_of(self, key: str) -> list[str] | str | None:
        """`command:` or `entrypoint:`: a list (exec form), a string (split by compose like
        a shell would), or None."""
        value = self.data.get(key)
        if isinstance(value, list):
            return [str(word) for word in value]
        return value if isinstance(value, str) else None

    def build(self) -> tuple[str, str | None, str | None] | None:
        """(context, dockerfile, target) of `build:`, or None for an image-only service."""
        build = self.data.get("build")
        if isinstance(build, str):
            return build, None, None
        if isinstance(build, dict):
            context = str(build.get("context", "."))
            dockerfile = build.get("dockerfile")
            target = build.get("target")
            return (
                context,
                dockerfile if isinstance(dockerfile, str) else None,
                target if isinstance(target, str) else None,
            )
        return None


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _port(item: Any) -> Port:
    if isinstance(item, dict):
        target = str(item.get("target"))
        return Port(
            int(target) if target.isdigit() else None,
            str(item.get("published", "")),
            str(item.get("host_ip", "")),
        )
    text = str(item).split("/")[0]
    if text.startswith("["):  # an IPv6 host: [::1]:8000:8000
        host, _, rest = text[1:].partition("]:")
        parts = ["[" + host + "]", *rest.split(":")]
    else:
        parts = text.split(":")
    container = parts[-1]
    published = parts[-2] if len(parts) >= 2 else ""
    host_ip = parts[-3] if len(parts) >= 3 else ""
    return Port(int(container) if container.isdigit() else None, published, host_ip)


@dataclass(frozen=True)
class Compose:
    path: str  # as the learner names it, for messages
    data: dict[str, Any]
    raw: dict[str, Any]
    missing: tuple[str, ...] = ()  # `${VAR:?}` left without a value
    services: dict[str, Service] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str, document: Any, values: Mapping[str, str]) -> Compose:
        raw = document if isinstance(document, dict) else {}
        missing: list[str] = []
        data = _interpolated(raw, values, missing)
        found = data.get("services")
        written = raw.get("services")
        found = found if isinstance(found, dict) else {}
        written = written if isinstance(written, dict) else {}
        services = {
            str(name): Service(str(name), spec, written.get(name) or {})
            for name, spec in found.items()
            if isinstance(spec, dict)
        }
        return cls(path, data, raw, tuple(missing), services)

    def named_volumes(self) -> set[str]:
        volumes = self.data.get("volumes")
        return {str(name) for name in volumes} if isinstance(volumes, dict) else set()


def env_file_values(path: Path) -> dict[str, str]:
    """A `.env`-style file's variables, as compose reads them: KEY=value, `#` comments,
    `export ` allowed, quotes removed."""
    values: dict[str, str] = {}
    for line in path.read_text("utf-8", errors="replace").splitlines():
        match = re.match(r"\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*?)\s*$", line)
        if not match or line.lstrip().startswith("#"):
            continue
        value = match.group(2)
        if value[:1] in ("'", '"') and value.endswith(value[:1]) and len(value) >= 2:
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[match.group(1)] = value
    return values
