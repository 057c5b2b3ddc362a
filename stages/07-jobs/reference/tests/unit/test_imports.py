"""Imports as jobs, without a worker or a database: reading the CSV, queuing the job, and
who may see it. The worker's side is in tests/integration/test_worker.py."""

import uuid
from decimal import Decimal

import pytest

from expense_tracker import services
from expense_tracker.errors import ConflictError, NotFoundError, ValidationError
from expense_tracker.models import IMPORT, MAX_IMPORT_ROWS, QUEUED, ImportRow, parse_import

# Reading the CSV


def test_an_import_reads_every_line_after_the_one_naming_the_columns():
    rows = parse_import("amount,category,note\n12.5,food,lunch\n3.20,transport,\n")

    assert rows == [
        ImportRow(line=2, amount=Decimal("12.50"), category="food", note="lunch"),
        ImportRow(line=3, amount=Decimal("3.20"), category="transport", note=""),
    ]


def test_the_note_column_may_be_left_out_and_the_columns_come_in_any_order():
    assert parse_import("category,amount\nfood,1\n") == [
        ImportRow(line=2, amount=Decimal("1.00"), category="food", note="")
    ]


def test_an_import_of_no_lines_imports_nothing():
    assert parse_import("amount,category\n") == []


def test_a_bad_value_is_refused_with_its_line_number_and_the_rule_it_breaks():
    with pytest.raises(ValidationError, match=r"^line 3: amount 'twelve' is not a number"):
        parse_import("amount,category\n1,food\ntwelve,food\n")


def test_a_line_with_a_missing_value_is_refused():
    with pytest.raises(ValidationError, match="line 2: category"):
        parse_import("amount,category\n12\n")


def test_a_first_line_without_the_column_names_says_which_is_missing():
    with pytest.raises(ValidationError, match="category is missing"):
        parse_import("amount,note\n12,lunch\n")
    with pytest.raises(ValidationError, match="amount and category is missing"):
        parse_import("")


def test_text_the_csv_reader_gives_up_on_is_refused_not_a_crash():
    huge_field = "amount,category\n1," + "a" * 200_000 + "\n"  # beyond csv's field limit

    with pytest.raises(ValidationError, match="line 2: not CSV"):
        parse_import(huge_field)


def test_an_import_has_a_limit_on_its_lines():
    lines = "amount,category\n" + "1,food\n" * (MAX_IMPORT_ROWS + 1)

    with pytest.raises(ValidationError, match=f"at most {MAX_IMPORT_ROWS} expenses"):
        parse_import(lines)
    assert len(parse_import("amount,category\n" + "1,food\n" * MAX_IMPORT_ROWS)) == 1000


# Queuing the job


def test_starting_an_import_queues_a_job_and_imports_nothing_yet(uow, alice):
    job = services.start_import(uow, alice, "amount,category\n1,food\n", delay_seconds=2)

    assert (job.status, job.kind, job.owner_id, job.attempts) == (QUEUED, IMPORT, alice.id, 0)
    assert job.payload == {"csv": "amount,category\n1,food\n", "delay_seconds": 2}
    assert not job.finished
    assert uow.expenses.all(owner_id=None) == []
    assert uow.commits == 2  # alice's registration, then the job


def test_an_import_without_a_delay_or_a_key_waits_for_nothing_and_keeps_no_key(uow, alice):
    job = services.start_import(uow, alice, "amount,category\n")

    assert job.payload == {"csv": "amount,category\n", "delay_seconds": 0}
    assert uow.jobs.keys == {}


def test_the_same_idempotency_key_gives_the_same_job(uow, alice):
    first = services.start_import(uow, alice, "amount,category\n", idempotency_key="k-1")
    again = services.start_import(uow, alice, "amount,category\n", idempotency_key="k-1")
    other = services.start_import(uow, alice, "amount,category\n", idempotency_key="k-2")

    assert again.id == first.id
    assert other.id != first.id
    assert len(uow.jobs.jobs) == 2


def test_another_users_idempotency_key_is_theirs_alone(uow, alice, bob):
    mine = services.start_import(uow, alice, "amount,category\n", idempotency_key="k")

    assert services.start_import(uow, bob, "amount,category\n", idempotency_key="k").id != mine.id


def test_a_key_sent_again_with_another_body_is_a_conflict(uow, alice):
    services.start_import(uow, alice, "amount,category\n1,food\n", idempotency_key="k")

    with pytest.raises(ConflictError, match="already used for another import"):
        services.start_import(uow, alice, "amount,category\n2,food\n", idempotency_key="k")


# Who may see a job


def test_a_user_sees_their_own_job(uow, alice):
    job = services.start_import(uow, alice, "amount,category\n")

    assert services.get_job(uow, alice, job.id) == job


def test_another_users_job_is_not_found_like_a_missing_one(uow, alice, bob):
    job = services.start_import(uow, alice, "amount,category\n")

    with pytest.raises(NotFoundError, match=f"no import with id {job.id}"):
        services.get_job(uow, bob, job.id)
    with pytest.raises(NotFoundError):
        services.get_job(uow, bob, uuid.uuid4())


def test_an_admin_sees_every_users_job(uow, alice, admin):
    job = services.start_import(uow, alice, "amount,category\n")

    assert services.get_job(uow, admin, job.id) == job


# The work itself, as the worker calls it


def test_importing_adds_every_expense_for_the_jobs_owner(uow, alice):
    csv_text = "amount,category,note\n1,food,lunch\n2,rent,\n"

    result = services.import_expenses(uow.expenses, alice.id, csv_text)

    assert result == {"imported": 2}
    expenses = uow.expenses.all(owner_id=alice.id)
    assert [(e.amount, e.category, e.note) for e in expenses] == [
        (Decimal("1.00"), "food", "lunch"),
        (Decimal("2.00"), "rent", ""),
    ]


def test_an_import_with_a_bad_line_adds_nothing(uow, alice):
    with pytest.raises(ValidationError, match="line 3"):
        services.import_expenses(uow.expenses, alice.id, "amount,category\n1,food\n0,rent\n")

    assert uow.expenses.all(owner_id=None) == []
