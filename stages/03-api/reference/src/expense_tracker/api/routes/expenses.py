"""/expenses: thin routes. Each one parses the request (FastAPI does it from the
signature), calls one service and shapes the answer; the rules and the storage are not
here. Domain errors become status codes in main.py, in one place for every router.
"""

from fastapi import APIRouter, status

from expense_tracker import services
from expense_tracker.api.deps import ExpenseId, PageDep, UnitOfWorkDep
from expense_tracker.api.schemas import ExpenseCreate, ExpensePage, ExpenseRead, ExpenseUpdate

router = APIRouter(prefix="/expenses", tags=["expenses"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_expense(body: ExpenseCreate, uow: UnitOfWorkDep) -> ExpenseRead:
    """Record an expense; the answer is the stored expense, with its id."""
    expense = services.add_expense(uow, str(body.amount), body.category, body.note)
    return ExpenseRead.from_domain(expense)


@router.get("")
def list_expenses(uow: UnitOfWorkDep, page: PageDep) -> ExpensePage:
    """Expenses, oldest first, a page at a time."""
    return ExpensePage.from_domain(services.page_of_expenses(uow, page.limit, page.offset))


@router.get("/{expense_id}")
def get_expense(expense_id: ExpenseId, uow: UnitOfWorkDep) -> ExpenseRead:
    return ExpenseRead.from_domain(services.get_expense(uow, expense_id))


@router.patch("/{expense_id}")
def update_expense(expense_id: ExpenseId, body: ExpenseUpdate, uow: UnitOfWorkDep) -> ExpenseRead:
    """Change the fields sent; the ones left out keep their values."""
    changes = body.model_dump(exclude_unset=True)
    amount = changes.pop("amount", None)
    expense = services.update_expense(
        uow, expense_id, amount=None if amount is None else str(amount), **changes
    )
    return ExpenseRead.from_domain(expense)


@router.delete("/{expense_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_expense(expense_id: ExpenseId, uow: UnitOfWorkDep) -> None:
    services.delete_expense(uow, expense_id)
