import pytest
from bookmarks import services
from bookmarks.models import Bookmark, InvalidBookmark


class FakeStore:
    def __init__(self):
        self.rows = {}

    def insert(self, bookmark):
        bookmark.id = len(self.rows) + 1
        self.rows[bookmark.id] = bookmark
        return bookmark

    def get(self, bookmark_id):
        return self.rows.get(bookmark_id)

    def page(self, skip, limit):
        return list(self.rows.values())[skip : skip + limit]

    def save(self, bookmark: Bookmark):
        self.rows[bookmark.id] = bookmark

    def remove(self, bookmark_id):
        del self.rows[bookmark_id]


def test_a_created_bookmark_can_be_read_back():
    store = FakeStore()
    made = services.create(store, "https://example.com", "Example")
    assert services.read(store, made.id).title == "Example"


def test_a_bookmark_without_a_web_address_is_refused():
    with pytest.raises(InvalidBookmark):
        services.create(FakeStore(), "example", "Example")


def test_a_bookmark_without_a_title_is_refused():
    with pytest.raises(InvalidBookmark):
        services.create(FakeStore(), "https://example.com", " ")


def test_reading_an_unknown_bookmark_is_not_found():
    with pytest.raises(services.NotFound):
        services.read(FakeStore(), 7)


def test_a_change_keeps_the_fields_it_does_not_name():
    store = FakeStore()
    made = services.create(store, "https://example.com", "Example", visits=3)
    services.change(store, made.id, title="Renamed")
    assert (services.read(store, made.id).visits, services.read(store, made.id).title) == (
        3,
        "Renamed",
    )


def test_a_removed_bookmark_is_gone():
    store = FakeStore()
    made = services.create(store, "https://example.com", "Example")
    services.remove(store, made.id)
    with pytest.raises(services.NotFound):
        services.read(store, made.id)
