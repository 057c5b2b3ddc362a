"""/expenses: thin routes. Each one parses the request (FastAPI does it from the
signature), calls one service and shapes the answer; the rules and the storage are not
here. Domain errors become status codes in app.py, in one place for every router.

Every route needs a logged-in user (`CurrentUser`, a 401 without a valid token) and hands
it to the service, which decides what that user may see: the routes filter nothing.
"""

from fastapi import APIRouter, status

from expense_tracker import services
from expense_tracker.api.deps import CurrentUser, ExpenseId, PageDep, UnitOfWorkDep
from expense_tracker.api.responses import BAD_BODY, NEEDS_LOGIN, NOT_FOUND, UNAVAILABLE
from expense_tracker.api.schemas import ExpenseCreate, ExpensePage, ExpenseRead, ExpenseUpdate

router = APIRouter(prefix="/expenses", tags=["expenses"], responses=NEEDS_LOGIN | UNAVAILABLE)


@router.post("", status_code=status.HTTP_201_CREATED, responses=BAD_BODY)
def create_expense(body: ExpenseCreate, user: CurrentUser, uow: UnitOfWorkDep) -> ExpenseRead:
    """Record an expense of the logged-in user; the answer is the stored expense."""
    expense = services.add_expense(uow, user, str(body.amount), body.category, body.note)
    return ExpenseRead.from_domain(expense)


@router.get("")
def list_expenses(user: CurrentUser, uow: UnitOfWorkDep, page: PageDep) -> ExpensePage:
    """Your expenses (every user's, for an admin), oldest first, a page at a time."""
    return ExpensePage.from_domain(services.page_of_expenses(uow, user, page.limit, page.offset))


@router.get("/{expense_id}", responses=NOT_FOUND)
def get_expense(expense_id: ExpenseId, user: CurrentUser, uow: UnitOfWorkDep) -> ExpenseRead:
    """One of your expenses; someone else's answers 404, as if it did not exist."""
    return ExpenseRead.from_domain(services.get_expense(uow, user, expense_id))


@router.patch("/{expense_id}", responses=NOT_FOUND | BAD_BODY)
def update_expense(
    expense_id: ExpenseId, body: ExpenseUpdate, user: CurrentUser, uow: UnitOfWorkDep
) -> ExpenseRead:
    """Change the fields sent; the ones left out keep their values."""
    changes = body.model_dump(exclude_unset=True)
    amount = changes.pop("amount", None)
    expense = services.update_expense(
        uow, user, expense_id, amount=None if amount is None else str(amount), **changes
    )
    return ExpenseRead.from_domain(expense)


@router.delete("/{expense_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_expense(expense_id: ExpenseId, user: CurrentUser, uow: UnitOfWorkDep) -> None:
    services.delete_expense(uow, user, expense_id)
