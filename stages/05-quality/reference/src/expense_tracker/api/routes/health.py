"""/health: can this instance do its work right now? For load balancers and monitors.

It answers without a login (whoever asks learns only "pass" or "fail") and checks the one
thing the app cannot work without, the database, with a trivial query. A health check
that always says "pass" is worse than none: the load balancer keeps sending requests to
an instance that fails every one of them (ADR 0016).

The answer follows the draft standard for health checks (draft-inadarei-api-health-check):
`{"status": "pass"}` or `{"status": "fail"}`, as `application/health+json`, never cached.
"""

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from expense_tracker.api.deps import DatabaseCheckDep
from expense_tracker.api.schemas import Health


class HealthResponse(JSONResponse):
    media_type = "application/health+json"


router = APIRouter(tags=["health"])
DOWN = {"model": Health, "description": "the database does not answer"}


@router.get("/health", response_model=Health, response_class=HealthResponse, responses={503: DOWN})
def health(database_is_up: DatabaseCheckDep) -> HealthResponse:
    """`pass` (200) when the database answers, `fail` (503) when it does not."""
    if database_is_up():
        answer, code = Health(status="pass"), status.HTTP_200_OK
    else:
        answer, code = Health(status="fail"), status.HTTP_503_SERVICE_UNAVAILABLE
    return HealthResponse(
        answer.model_dump(), status_code=code, headers={"Cache-Control": "no-store"}
    )
