"""What routes ask FastAPI to hand them, as `Annotated` aliases a route names in one word.

`UnitOfWorkDep` comes from the factory the app built at start-up; a test overrides
`get_unit_of_work` to hand in a fake instead (app.dependency_overrides).
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from expense_tracker.services import UnitOfWork

MAX_PAGE = 100  # a client cannot ask for the whole table at once
# The biggest id SQLite can store; a bigger number in the URL would crash the query (500)
# instead of being refused (422).
MAX_ID = 2**63 - 1


def get_unit_of_work(request: Request) -> UnitOfWork:
    unit_of_work: UnitOfWork = request.app.state.unit_of_work_factory()
    return unit_of_work


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many")] = 20,
    offset: Annotated[int, Query(ge=0, description="skip this many first")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


ExpenseId = Annotated[int, Path(ge=1, le=MAX_ID, description="the expense's id")]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
PageDep = Annotated[PageParams, Depends(page_params)]
