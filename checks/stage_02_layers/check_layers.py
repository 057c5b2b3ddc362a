"""Layer boundaries, checked by import-linter with contracts made from the manifest."""

from checks.harness.catalog import check
from checks.harness.doors.cli.fixtures import NO_CLI
from checks.harness.doors.tools import import_contracts
from checks.harness.doors.tools.import_contracts import Contract
from checks.harness.failure import NotApplicable
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

CLI_FRAMEWORKS = ("argparse", "click", "typer")


@check("cli-without-sqlalchemy")
def check_cli_without_sqlalchemy(linted: Workspace, manifest: Manifest) -> None:
    """Your CLI modules do not import SQLAlchemy; they call the service layer.

    Why: when the command line talks to the database itself, every rule it applies has to
    be written again for the web API in stage 3. A CLI that only parses, calls a service
    and prints is a door into the system, not the system.

    Fix: move queries and sessions out of the modules listed in [tool.roadmap.layers] cli
    into your repository and service modules; let the CLI get a service from a small
    module that wires things together (a "composition root") and call its functions.
    """
    layers = manifest.require_layers()
    if manifest.cli is None:
        raise NotApplicable(NO_CLI)
    rule = Contract("The CLI modules do not import SQLAlchemy", layers.cli, ("sqlalchemy",))
    import_contracts.enforce(linted, rule)


@check("services-without-cli")
def check_services_without_cli(linted: Workspace, manifest: Manifest) -> None:
    """Your services and domain modules do not import the CLI or a CLI framework.

    Why: the service layer is what the CLI, the API and your tests all share. If it reaches
    for argparse or your CLI module, it can only be used from the command line.

    Fix: pass plain values into service functions and return results or raise domain
    errors; leave parsing arguments and printing to the CLI modules.
    """
    layers = manifest.require_layers()
    sources = layers.services + layers.domain
    rule = Contract(
        "The services and domain modules do not import the CLI",
        sources,
        CLI_FRAMEWORKS + layers.cli,
    )
    import_contracts.enforce(linted, rule)
