BOOK = {"title": "The Dispossessed", "author": "Ursula K. Le Guin", "year": 1974, "shelf": "sf"}


def test_books_want_a_reader_who_logged_in(client):
    answer = client.get("/books")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_book_created_is_read_back(client, reader):
    created = client.post("/books", json=BOOK, headers=reader)
    assert created.status_code == 201
    read = client.get(f"/books/{created.json()['id']}", headers=reader)
    assert read.json() == created.json()


def test_a_put_replaces_the_whole_book(client, reader):
    book_id = client.post("/books", json=BOOK, headers=reader).json()["id"]
    replaced = client.put(f"/books/{book_id}", json={**BOOK, "shelf": "classics"}, headers=reader)
    assert replaced.json() == {**BOOK, "id": book_id, "shelf": "classics"}


def test_a_taken_username_is_a_conflict(client, reader):
    again = client.post("/readers", json={"username": "ada", "password": "another one"})
    assert again.status_code == 409
