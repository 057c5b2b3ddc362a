import jwt


def test_signing_up_answers_the_user_without_the_password(client):
    body = {"email": "ada@example.com", "password": "p" * 8}
    answer = client.post("/api/auth/signup", json=body)
    assert answer.status_code == 201
    assert answer.json() == {"id": 1, "email": "ada@example.com", "is_admin": False}


def test_signing_up_twice_is_a_conflict(client, ada):
    again = client.post("/api/auth/signup", json={"email": "ada@example.com", "password": "x" * 9})
    assert again.status_code == 409


def test_notes_need_a_token(client):
    answer = client.get("/api/notes")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_token_signed_with_another_key_is_refused(client):
    forged = jwt.encode(
        {"sub": "1", "exp": 9999999999},
        "another-key-that-is-long-enough-to-sign-0123",
        algorithm="HS256",
    )
    answer = client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401


def test_a_note_written_is_read_back_by_its_owner_only(client, ada, bob):
    made = client.post("/api/notes/new", json={"title": "Hi", "body": "there"}, headers=ada)
    assert made.status_code == 201
    path = f"/api/notes/note/{made.json()['id']}"
    assert client.get(path, headers=ada).json()["title"] == "Hi"
    assert client.get(path, headers=bob).status_code == 404


def test_pages_hold_per_page_notes_in_order(client, ada):
    for title in "abcde":
        client.post("/api/notes/new", json={"title": title, "body": ""}, headers=ada)
    pages = [
        client.get("/api/notes", params={"page": n, "per_page": 2}, headers=ada).json()
        for n in (1, 2, 3)
    ]
    titles = [[note["title"] for note in page["notes"]] for page in pages]
    assert titles == [["a", "b"], ["c", "d"], ["e"]]
    assert pages[0]["total"] == 5


def test_a_patch_keeps_the_fields_it_does_not_name(client, ada):
    made = client.post(
        "/api/notes/new", json={"title": "Plan", "body": "step 1", "priority": 4}, headers=ada
    ).json()
    path = f"/api/notes/note/{made['id']}"
    edited = client.patch(path, json={"title": "Plan B"}, headers=ada).json()
    assert (edited["title"], edited["body"], edited["priority"]) == ("Plan B", "step 1", 4)


def test_the_users_list_is_for_admins(client, ada, admin):
    assert client.get("/api/admin/users", headers=ada).status_code == 403
    assert len(client.get("/api/admin/users", headers=admin).json()) == 2
