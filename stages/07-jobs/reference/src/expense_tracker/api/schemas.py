"""What goes over the wire: the JSON an API client sends and gets back.

The schemas are the API's contract, and FastAPI publishes them in /openapi.json. They
check values with the domain's own rules (models.parse_amount, parse_username, ...) so a
rule is written once; a value that breaks one is refused with 422 and the field's name.

The bounds and patterns in `Field(...)` repeat those rules for /openapi.json, so a client
(or a fuzzer such as schemathesis) knows what it may send before it sends it: a schema
that promises more than the API accepts is a contract the API breaks.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from expense_tracker.errors import ValidationError
from expense_tracker.models import (
    MAX_AMOUNT,
    MAX_NOTE,
    MAX_PASSWORD,
    MIN_PASSWORD,
    Expense,
    Job,
    Page,
    User,
    parse_amount,
    parse_category,
    parse_note,
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


# What /openapi.json says an amount is: a number, or a string such as "12.50", above 0 and
# at most 10000, in cents. parse_amount does the checking; this only tells clients (and
# fuzzers) what to send. `json_schema_extra` below does the same for the other fields.
AMOUNT_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": int(MAX_AMOUNT), "multipleOf": 0.01},
        # 1 to 9999 with up to two decimals, 0.01 to 0.99, or 10000
        {
            "type": "string",
            "pattern": r"^([1-9][0-9]{0,3}(\.[0-9]{1,2})?|0?\.(0[1-9]|[1-9][0-9]?)|10000)$",
        },
    ],
    "examples": ["12.50"],
}
Amount = Annotated[Decimal, WithJsonSchema(AMOUNT_SCHEMA), _rule(parse_amount)]
Category = Annotated[
    str,
    Field(examples=["food"], json_schema_extra={"pattern": r"^[\w-]+$"}),
    _rule(parse_category),
]
# PostgreSQL cannot store the NUL character in text: the pattern says "anything but NUL".
Note = Annotated[
    str,
    Field(
        max_length=MAX_NOTE,
        examples=["lunch with Sam"],
        json_schema_extra={"pattern": "^[^\\x00]*$"},
    ),
    _rule(parse_note),
]
Username = Annotated[
    str,
    Field(examples=["ada"], json_schema_extra={"pattern": r"^[A-Za-z0-9_.@+-]{3,64}$"}),
    _rule(parse_username),
]
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


# An import's CSV text: 1000 lines of a long note each fit (models.MAX_IMPORT_ROWS).
MAX_IMPORT_TEXT = 600_000
CSV_EXAMPLE = "amount,category,note\n12.50,food,lunch\n3.20,transport,\n"


def _no_nul(text: str) -> str:
    if "\x00" in text:  # PostgreSQL cannot store it, in text nor in JSON
        raise ValueError("the CSV text must not contain the NUL character (\\x00)")
    return text


class ImportCreate(BaseModel):
    """An import of expenses: CSV text whose first line names the columns. It is checked
    by the worker, line by line; a bad line makes the job fail, with the line's number."""

    model_config = ConfigDict(extra="forbid")

    csv: Annotated[
        str,
        Field(
            max_length=MAX_IMPORT_TEXT,
            examples=[CSV_EXAMPLE],
            json_schema_extra={"pattern": "^[^\\x00]*$"},
        ),
        AfterValidator(_no_nul),
    ]
    delay_seconds: int = Field(
        default=0, ge=0, le=10, description="wait this long before importing: slow work, to try"
    )


class ImportResult(BaseModel):
    imported: int = Field(description="how many expenses the import added")


class JobRead(BaseModel):
    """A job: where it is, and how it ended. Ask again while `status` is queued or running."""

    id: uuid.UUID
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    attempts: int = Field(description="how many times a worker started it")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: ImportResult | None = Field(description="what it did, once succeeded")
    error: str | None = Field(description="why it failed, once failed")

    @classmethod
    def from_domain(cls, job: Job) -> Self:
        return cls.model_validate(job, from_attributes=True)


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


class Message(BaseModel):
    """An error the API answers itself (401, 403, 404, 409, 503): what went wrong."""

    detail: str


class Health(BaseModel):
    """GET /health: `pass` when the app can do its work, `fail` when it cannot."""

    status: Literal["pass", "fail"]


class Token(BaseModel):
    """The answer to a successful login, in the shape OAuth2 (RFC 6749) prescribes."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
