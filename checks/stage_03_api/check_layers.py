"""Thin routes: the API layer calls services and leaves the database to them."""

from checks.harness.catalog import check
from checks.harness.doors.tools import import_contracts
from checks.harness.doors.tools.import_contracts import Contract
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

WEB_FRAMEWORKS = ("fastapi", "starlette")


@check("routes-without-sqlalchemy")
def check_routes_without_sqlalchemy(linted: Workspace, manifest: Manifest) -> None:
    """Your API modules do not import SQLAlchemy; they call services.

    Why: a route that runs its own queries duplicates rules the CLI already goes through
    the services for, and cannot be tested without a database. Thin routes parse, call a
    service and shape the answer.

    Fix: move queries and sessions out of the modules listed in [tool.roadmap.layers] api
    into your repository and services; give routes a unit of work (or a service) through
    a dependency in api/deps.py that gets it from your composition root.
    """
    layers = manifest.require_layers()
    rule = Contract("The API modules do not import SQLAlchemy", layers.api, ("sqlalchemy",))
    import_contracts.enforce(linted, rule)


@check("services-without-fastapi")
def check_services_without_fastapi(linted: Workspace, manifest: Manifest) -> None:
    """Your services and domain modules do not import FastAPI, Starlette or your API.

    Why: the services are shared by the CLI and the API. If a service raises
    HTTPException or takes a Request, the CLI now depends on a web framework and its
    errors arrive as HTTP status codes.

    Fix: raise your own domain errors (NotFoundError, ValidationError) in services and
    turn them into HTTP answers in the API layer, with an exception handler.
    """
    layers = manifest.require_layers()
    rule = Contract(
        "The services and domain modules do not import FastAPI or the API",
        layers.services + layers.domain,
        WEB_FRAMEWORKS + layers.api,
    )
    import_contracts.enforce(linted, rule)
