"""Read and validate the learner's `[tool.roadmap]` manifest: one module per section.

A new stage's section (say `[tool.roadmap.auth]`) is one new module here with its
dataclass, its examples and its `read`, plus one line in `core.load`.
"""

from checks.harness.manifest.api import Api
from checks.harness.manifest.auth import Auth
from checks.harness.manifest.cli import Cli
from checks.harness.manifest.core import Manifest, Summary, load
from checks.harness.manifest.fields import Field
from checks.harness.manifest.layers import Layers
from checks.harness.manifest.migrations import Migrations
from checks.harness.manifest.table import EXAMPLES, ManifestError

__all__ = [
    "EXAMPLES",
    "Api",
    "Auth",
    "Cli",
    "Field",
    "Layers",
    "Manifest",
    "ManifestError",
    "Migrations",
    "Summary",
    "load",
]
