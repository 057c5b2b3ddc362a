"""What goes over the wire: the JSON an API client sends and gets back.

The schemas are the API's contract, and FastAPI publishes them in /openapi.json. They
check values with the domain's own rules (models.parse_amount, parse_username, ...) so a
rule is written once; a value that breaks one is refused with 422 and the field's name.
"""

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from expense_tracker.errors import ValidationError
from expense_tracker.models import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    Expense,
    Page,
    User,
    parse_amount,
    parse_category,
    parse_password,
    parse_username,
)


def _rule(parse):  # type: ignore[no-untyped-def]
    """A domain parse function as a Pydantic validator: its ValidationError becomes the
    ValueError Pydantic reports as a field error."""

    def check(value: object) -> object:
        try:
            return parse(str(value))
        except ValidationError as error:
            raise ValueError(str(error)) from None

    return AfterValidator(check)


Amount = Annotated[Decimal, Field(examples=["12.50"]), _rule(parse_amount)]
Category = Annotated[str, Field(examples=["food"]), _rule(parse_category)]
Note = Annotated[str, Field(max_length=500, examples=["lunch with Sam"])]
Username = Annotated[str, Field(examples=["ada"]), _rule(parse_username)]
# The bounds are repeated in Field only so that OpenAPI shows them; parse_password rules.
Password = Annotated[
    str, Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD), _rule(parse_password)
]


class ExpenseCreate(BaseModel):
    """No owner field: an expense belongs to whoever records it, never to the user a
    body names. A body that sends `owner_id` is refused like any unknown field."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not ignored

    amount: Amount
    category: Category
    note: Note = ""


class ExpenseUpdate(BaseModel):
    """PATCH: every field is optional, and a field left out keeps its value."""

    model_config = ConfigDict(extra="forbid")

    amount: Amount | None = None
    category: Category | None = None
    note: Note | None = None


class ExpenseRead(BaseModel):
    id: int
    # A string, "12.50", as the CLI prints it: a JSON number is read as a float by most
    # clients, and a float cannot hold most cents exactly.
    amount: Annotated[str, Field(examples=["12.50"])]
    category: str
    note: str
    owner_id: int = Field(description="the id of the user who recorded it")

    @classmethod
    def from_domain(cls, expense: Expense) -> Self:
        return cls.model_validate(expense.to_dict())


class ExpensePage(BaseModel):
    items: list[ExpenseRead]
    total: int = Field(description="how many expenses there are in all")
    limit: int
    offset: int

    @classmethod
    def from_domain(cls, page: Page) -> Self:
        items = [ExpenseRead.from_domain(expense) for expense in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


class UserCreate(BaseModel):
    """Registration. Fields other than these two are ignored, not refused: a body that
    says `"is_admin": true` still makes an ordinary user, since nothing here reads it.
    Admins are made by the operator, with the CLI's `create-admin`."""

    model_config = ConfigDict(extra="ignore")

    username: Username
    password: Password


class UserRead(BaseModel):
    """A user as the API shows one: never the password, nor its hash."""

    id: int
    username: str
    is_admin: bool

    @classmethod
    def from_domain(cls, user: User) -> Self:
        return cls(id=user.id, username=user.username, is_admin=user.is_admin)


class Token(BaseModel):
    """The answer to a successful login, in the shape OAuth2 (RFC 6749) prescribes."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
