"""/users: register, and who am I. Listing the users is for admins only, a rule the
service enforces (a 403 for anyone else)."""

from fastapi import APIRouter, status

from expense_tracker import services
from expense_tracker.api.deps import CurrentUser, UnitOfWorkDep
from expense_tracker.api.responses import ADMINS_ONLY, BAD_BODY, NEEDS_LOGIN, TAKEN, UNAVAILABLE
from expense_tracker.api.schemas import UserCreate, UserRead

router = APIRouter(prefix="/users", tags=["users"], responses=UNAVAILABLE)


@router.post("", status_code=status.HTTP_201_CREATED, responses=TAKEN | BAD_BODY)
def register(body: UserCreate, uow: UnitOfWorkDep) -> UserRead:
    """Create an ordinary user; a username that is taken answers 409."""
    return UserRead.from_domain(services.register_user(uow, body.username, body.password))


@router.get("/me", responses=NEEDS_LOGIN)
def read_me(user: CurrentUser) -> UserRead:
    """The logged-in user."""
    return UserRead.from_domain(user)


@router.get("", responses=NEEDS_LOGIN | ADMINS_ONLY)
def list_users(user: CurrentUser, uow: UnitOfWorkDep) -> list[UserRead]:
    """Every user, oldest first (admins only)."""
    return [UserRead.from_domain(each) for each in services.list_users(uow, user)]
