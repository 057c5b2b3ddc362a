"""Defects planted in the stage-4 reference for the fuzz checks to find (stage 5).

Each is one realistic slip, as text replacements in the reference's files. The stage-4
reference has bugs of its own that fuzzing finds (a huge `?offset=` or a NUL byte answers
503, as every storage error does there), so `CLEAN` first makes it refuse those with 422,
as reference 5 does: a planted bug is then the only one to find. Used by
tests/stages/test_05_fuzz.py and benchmarks/fuzz_detection.py.
"""

from __future__ import annotations

from pathlib import Path

Edits = dict[str, list[tuple[str, str]]]

ROUTES = "src/expense_tracker/api/routes/expenses.py"
DEPS = "src/expense_tracker/api/deps.py"
SCHEMAS = "src/expense_tracker/api/schemas.py"
ADD_EXPENSE = (
    "    expense = services.add_expense(uow, user, str(body.amount), body.category, body.note)"
)

# Reference 4 with its own 5xx fixed: bounded offsets, and no NUL in any string field.
CLEAN: Edits = {
    DEPS: [
        (
            'offset: Annotated[int, Query(ge=0, description="skip this many first")] = 0,',
            'offset: Annotated[int, Query(ge=0, le=MAX_ID, description="skip this many first")]'
            " = 0,",
        ),
    ],
    SCHEMAS: [
        (
            "def _rule(parse):  # type: ignore[no-untyped-def]",
            "def _no_nul(value: str) -> str:\n"
            "    if '\\x00' in value:\n"
            "        raise ValueError('a NUL character is not allowed')\n"
            "    return value\n\n\n"
            "def _rule(parse):  # type: ignore[no-untyped-def]",
        ),
        (
            'Note = Annotated[str, Field(max_length=500, examples=["lunch with Sam"])]',
            'Note = Annotated[str, Field(max_length=500, examples=["lunch with Sam"]), '
            "AfterValidator(_no_nul)]",
        ),
        (
            "            return parse(str(value))",
            "            return parse(_no_nul(str(value)))",
        ),
    ],
    "src/expense_tracker/api/routes/auth.py": [
        (
            "from expense_tracker.api.schemas import Token\n",
            "from expense_tracker.api.schemas import Token\n"
            "from expense_tracker.errors import AuthenticationError\n",
        ),
        (
            "    user = services.authenticate(uow, form.username, form.password)",
            "    if '\\x00' in form.username + form.password:  # no user has one: a wrong login\n"
            "        raise AuthenticationError('incorrect username or password')\n"
            "    user = services.authenticate(uow, form.username, form.password)",
        ),
    ],
}

# A 500 on an input the learner's own tests never send, behind a valid body.
SERVER_ERROR: Edits = {
    ROUTES: [
        (
            ADD_EXPENSE,
            "    if body.amount > 1000:  # a big expense needs an approver (never configured)\n"
            "        approvers: dict[str, str] = {}\n"
            '        body.note += f" (approved by {approvers[body.category]})"\n' + ADD_EXPENSE,
        ),
    ],
}

# An answer off the schema its route declares: the amount as a JSON number, not a string.
OFF_SCHEMA: Edits = {
    ROUTES: [
        (
            "from fastapi import APIRouter, status\n",
            "from fastapi import APIRouter, status\nfrom fastapi.responses import JSONResponse\n",
        ),
        (
            '    """One of your expenses; someone else\'s answers 404, as if it did not exist."""\n'
            "    return ExpenseRead.from_domain(services.get_expense(uow, user, expense_id))",
            '    """One of your expenses; someone else\'s answers 404, as if it did not exist."""\n'
            "    expense = services.get_expense(uow, user, expense_id)\n"
            "    shown = ExpenseRead.from_domain(expense).model_dump()\n"
            '    return JSONResponse({**shown, "amount": float(expense.amount)})  # type: ignore',
        ),
    ],
}

# A route that reads the token but never checks it: anyone may read any expense.
IGNORES_TOKEN: Edits = {
    ROUTES: [
        (
            "def get_expense(expense_id: ExpenseId, user: CurrentUser, uow: UnitOfWorkDep)",
            "def get_expense(expense_id: ExpenseId, token: Token, uow: UnitOfWorkDep)",
        ),
        (
            "    return ExpenseRead.from_domain(services.get_expense(uow, user, expense_id))",
            "    anyone = User(0, 'anyone', '', is_admin=True)  # the token is never checked\n"
            "    return ExpenseRead.from_domain(services.get_expense(uow, anyone, expense_id))",
        ),
        (
            "from expense_tracker import services\n",
            "from typing import Annotated\n\nfrom fastapi import Depends\n\n"
            "from expense_tracker import services\n"
            "from expense_tracker.api.deps import bearer_token\n"
            "from expense_tracker.models import User\n\n"
            "Token = Annotated[str | None, Depends(bearer_token)]\n",
        ),
    ],
}

PLANTED = {"server-error": SERVER_ERROR, "off-schema": OFF_SCHEMA, "ignores-token": IGNORES_TOKEN}

# All at once, for one checker run that fails each fuzz check: a PATCH that crashes on
# any new amount (the fuzzer's own records are still made, and the coverage phase finds
# the crash in its first requests however slowly a busy machine fuzzes), one route that
# both ignores the token and answers the amount off its schema, and a rule on categories
# that the schema does not show (valid data refused), loose enough for the fuzzer's own
# records (category-9s25: 13 characters) to be stored: the reading routes' defects are
# found on them. At 12 characters every one was refused, and on a busy machine the fuzzer
# then found no record to read within its budget. Every route answers 404s it does not
# list.
ALL_AT_ONCE: Edits = {
    ROUTES: [
        IGNORES_TOKEN[ROUTES][2],
        (
            ADD_EXPENSE,
            "    if len(body.category) > 20:  # a rule the schema does not show\n"
            "        raise ValidationError('a category has at most 20 characters')\n" + ADD_EXPENSE,
        ),
        (
            "from expense_tracker.api.deps import CurrentUser",
            "from expense_tracker.errors import ValidationError\n"
            "from expense_tracker.api.deps import CurrentUser",
        ),
        (
            "from fastapi import APIRouter, status\n",
            "from fastapi import APIRouter, status\nfrom fastapi.responses import JSONResponse\n",
        ),
        (
            "def get_expense(expense_id: ExpenseId, user: CurrentUser, uow: UnitOfWorkDep)",
            "def get_expense(expense_id: ExpenseId, token: Token, uow: UnitOfWorkDep)",
        ),
        (
            "    return ExpenseRead.from_domain(services.get_expense(uow, user, expense_id))",
            "    anyone = User(0, 'anyone', '', is_admin=True)  # the token is never checked\n"
            "    expense = services.get_expense(uow, anyone, expense_id)\n"
            "    shown = ExpenseRead.from_domain(expense).model_dump()\n"
            '    return JSONResponse({**shown, "amount": float(expense.amount)})  # type: ignore',
        ),
        (
            '    amount = changes.pop("amount", None)\n',
            '    amount = changes.pop("amount", None)\n'
            "    if amount is not None:  # a new amount needs an approver (never configured)\n"
            "        approvers: dict[str, str] = {}\n"
            '        changes["note"] = approvers[str(expense_id)]\n',
        ),
    ],
}


def apply(project: Path, *edits: Edits) -> Path:
    """Make the edits in the project's files; each text must be found exactly once."""
    for changes in edits:
        for name, pairs in changes.items():
            path = project / name
            text = path.read_text()
            for old, new in pairs:
                assert text.count(old) == 1, f"{name}: {old!r} is not there exactly once"
                text = text.replace(old, new)
            path.write_text(text)
    return project
