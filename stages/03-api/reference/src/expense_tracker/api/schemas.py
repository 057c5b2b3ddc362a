"""What goes over the wire: the JSON an API client sends and gets back.

The schemas are the API's contract, and FastAPI publishes them in /openapi.json. They
check values with the domain's own rules (models.parse_amount, parse_category) so a rule
is written once; a value that breaks one is refused with 422 and the field's name.
"""

from decimal import Decimal
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from expense_tracker.errors import ValidationError
from expense_tracker.models import Expense, Page, parse_amount, parse_category


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


class ExpenseCreate(BaseModel):
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
