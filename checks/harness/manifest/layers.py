"""`[tool.roadmap.layers]` (stage 2 on): where each layer of the learner's code lives."""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.manifest.table import EXAMPLES, Table

LAYERS = ("cli", "services", "domain")

EXAMPLES |= {
    "layers": 'cli = ["expense_tracker.cli"] under [tool.roadmap.layers]',
    "layers.cli": 'cli = ["expense_tracker.cli"]',
    "layers.services": 'services = ["expense_tracker.services"]',
    "layers.domain": 'domain = ["expense_tracker.models"]',
    "layers.api": 'api = ["expense_tracker.api"]',
}


@dataclass(frozen=True)
class Layers:
    """Lists of module names, one list per layer."""

    cli: tuple[str, ...]
    services: tuple[str, ...]
    domain: tuple[str, ...]
    api: tuple[str, ...] = ()  # from stage 3


def read(table: Table, has_cli: bool = True) -> Layers:
    """The layers; a project without a CLI (cli = false) names no CLI modules."""
    layers = {
        layer: tuple(table.get(layer, list)) if layer != "cli" or has_cli or layer in table else ()
        for layer in LAYERS
    }
    api = tuple(table.get("api", list)) if "api" in table else ()
    return Layers(**layers, api=api)
