"""Where a path inside the image comes from: a file of the build context, or the venv.

`COPY docker-entrypoint.sh ./` puts a file of the project at `/app/docker-entrypoint.sh`;
`COPY --from=build /app/.venv /app/.venv` brings a virtual environment built in another
stage. Following the stages' COPY instructions back to the build context tells which
project file an image path is, so the checker can read a script the image runs, and run
it; a virtual environment of the image is the project's own venv here.
"""

from __future__ import annotations

import glob
from pathlib import Path, PurePosixPath

from checks.harness.doors.deploy.dockerfile import Dockerfile, Stage

VENV_VARIABLES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")
MAX_DEPTH = 8  # stages copying from stages: a cycle is not a Dockerfile, but stay bounded


class ImagePaths:
    def __init__(self, dockerfile: Dockerfile, stage: Stage, context: Path) -> None:
        self.dockerfile, self.stage, self.context = dockerfile, stage, context

    def absolute(self, path: str) -> str:
        """A path as the image resolves it: relative ones against the WORKDIR."""
        return str(PurePosixPath(self.stage.workdir, path))

    def venvs(self) -> list[str]:
        """The image's virtual environments: named by its ENV, or copied as `.venv`."""
        found = [self.stage.env[name] for name in VENV_VARIABLES if self.stage.env.get(name)]
        for copy in self.stage.copies:
            destination = copy.destination.rstrip("/")
            if PurePosixPath(destination).name in (".venv", "venv"):
                found.append(destination)
        for entry in self.stage.env.get("PATH", "").split(":"):
            if entry.endswith("/bin") and PurePosixPath(entry).parent.name in (".venv", "venv"):
                found.append(str(PurePosixPath(entry).parent))
        return list(dict.fromkeys(found))

    def in_venv(self, path: str) -> str | None:
        """The part of `path` under one of the image's venvs ("bin/uvicorn"), or None."""
        absolute = PurePosixPath(self.absolute(path))
        for venv in self.venvs():
            if absolute.is_relative_to(venv):
                return str(absolute.relative_to(venv))
        return None

    def source(self, path: str) -> Path | None:
        """The file or folder of the build context that the image's `path` was copied
        from, or None (made by a RUN, or from another image)."""
        return self._source(self.stage, self.absolute(path), 0)

    def _source(self, stage: Stage, path: str, depth: int) -> Path | None:
        if depth > MAX_DEPTH:
            return None
        wanted = PurePosixPath(path)
        for copy in reversed(stage.copies):  # a later COPY to the same place wins
            for source in copy.sources:
                for prefix, origin in self._entries(copy.destination, source, copy.from_stage):
                    if not wanted.is_relative_to(prefix):
                        continue
                    rest = wanted.relative_to(prefix)
                    if copy.from_stage is None:
                        found = self.context / origin / rest
                        return found if found.exists() else None
                    earlier = self.dockerfile.stage_named(copy.from_stage)
                    if earlier is None:
                        return None
                    return self._source(earlier, str(PurePosixPath(origin) / rest), depth + 1)
        if stage.parent is not None:
            return self._source(stage.parent, path, depth + 1)
        return None

    def _entries(
        self, destination: str, source: str, from_stage: str | None
    ) -> list[tuple[PurePosixPath, str]]:
        """(image path, source path) pairs for one source of a COPY."""
        if from_stage is None and glob.has_magic(source):
            matches = sorted(self.context.glob(source.lstrip("/")))
            return [
                (
                    PurePosixPath(destination.rstrip("/") or "/", m.name),
                    str(m.relative_to(self.context)),
                )
                for m in matches
            ]
        cleaned = source.strip("/") if from_stage is None else source
        is_dir = (
            (self.context / cleaned).is_dir()
            if from_stage is None
            else not PurePosixPath(source).suffix
        )
        if is_dir or cleaned in ("", "."):
            return [(PurePosixPath(destination.rstrip("/") or "/"), cleaned or ".")]
        if destination.endswith("/"):
            return [(PurePosixPath(destination, PurePosixPath(source).name), cleaned)]
        return [(PurePosixPath(destination), cleaned)]
