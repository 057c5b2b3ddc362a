from decimal import Decimal
from pathlib import Path

import pytest

from expense_tracker.errors import NotFoundError, StorageError
from expense_tracker.storage import ExpenseRepository, data_path


@pytest.fixture
def repository(tmp_path):
    return ExpenseRepository(tmp_path / "expenses.json")


def test_a_missing_file_is_an_empty_store(repository):
    assert repository.all() == []


def test_an_empty_file_is_an_empty_store(repository):
    repository.path.write_text("")

    assert repository.all() == []


def test_adding_an_expense_assigns_the_next_id(repository):
    first = repository.add(Decimal("1.00"), "food")
    second = repository.add(Decimal("2.00"), "rent", "May")

    assert (first.id, second.id) == (1, 2)
    assert second.note == "May"


def test_expenses_outlive_the_repository_that_added_them(repository):
    repository.add(Decimal("9.99"), "books", "a novel")

    reopened = ExpenseRepository(repository.path)

    assert [e.to_dict() for e in reopened.all()] == [
        {"id": 1, "amount": "9.99", "category": "books", "note": "a novel"}
    ]


def test_ids_are_not_reused_after_the_newest_expense_is_deleted(repository):
    repository.add(Decimal("1.00"), "food")
    repository.add(Decimal("2.00"), "food")
    repository.delete(2)

    assert repository.add(Decimal("3.00"), "food").id == 3


def test_deleting_an_expense_keeps_the_others(repository):
    for amount in ("1.00", "2.00", "3.00"):
        repository.add(Decimal(amount), "food")

    deleted = repository.delete(2)

    assert deleted.id == 2
    assert [e.id for e in repository.all()] == [1, 3]


def test_getting_an_unknown_id_raises_not_found(repository):
    repository.add(Decimal("1.00"), "food")

    with pytest.raises(NotFoundError, match="no expense with id 5"):
        repository.get(5)


def test_deleting_an_unknown_id_raises_not_found_and_changes_nothing(repository):
    repository.add(Decimal("1.00"), "food")
    before = repository.path.read_text()

    with pytest.raises(NotFoundError):
        repository.delete(5)
    assert repository.path.read_text() == before


def test_a_file_that_is_not_json_raises_a_storage_error_naming_it(repository):
    repository.path.write_text("{not json")

    with pytest.raises(StorageError, match=r"expenses\.json is not an expense file"):
        repository.all()


def test_saving_creates_missing_folders_and_leaves_no_temporary_file(tmp_path):
    repository = ExpenseRepository(tmp_path / "deep" / "er" / "expenses.json")

    repository.add(Decimal("1.00"), "food")

    assert [p.name for p in repository.path.parent.iterdir()] == ["expenses.json"]


def test_the_data_file_comes_from_the_data_file_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_FILE", str(tmp_path / "mine.json"))

    assert data_path() == tmp_path / "mine.json"


def test_without_data_file_the_data_lives_in_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATA_FILE", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    assert data_path() == Path(tmp_path, ".local", "share", "expense-tracker", "expenses.json")
