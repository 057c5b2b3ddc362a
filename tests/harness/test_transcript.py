"""A check's `try` lines paste into a fresh shell: values by variable, in double quotes."""

import shlex
import subprocess

from checks.harness.transcript import Capture, Step, Transcript

URL = "http://127.0.0.1:8000"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIyIn0.c2lnbmF0dXJl"


def _login(transcript: Transcript, part: str, token: str) -> Step:
    step = transcript.add(Step(("curl", "-i", "-X", "POST", f"{URL}/v1/auth/token", "-d", "x")))
    step.saw = "200 OK"
    step.capture = Capture(f"TOKEN_{part.upper()}", "access_token", token)
    return step


def _get(transcript: Transcript, path: str, token: str | None = None) -> Step:
    words = ("curl", "-i", URL + path, *(("-H", f"Authorization: Bearer {token}") if token else ()))
    step = transcript.add(Step(words))
    step.saw = "404 Not Found"
    return step


def test_a_login_that_a_later_line_uses_captures_its_token_and_later_lines_expand_it():
    transcript = Transcript()
    _login(transcript, "owner", TOKEN)
    read = _get(transcript, "/v1/expenses", TOKEN)
    lines = transcript.lines()
    assert lines[0] == (
        f"TOKEN_OWNER=$(curl -s -X POST {URL}/v1/auth/token -d x | python3 -c "
        "'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')"
    )
    expanded = f'curl -i {URL}/v1/expenses -H "Authorization: Bearer $TOKEN_OWNER"'
    assert lines[1] == f"{expanded}  # → 404 Not Found"
    assert transcript.shown(read) == lines[1].split("  #")[0]  # what `ran` shows
    assert "'Bearer $" not in "\n".join(lines)  # never in single quotes: no shell expands it


def test_two_users_tokens_get_a_variable_each_and_a_token_nobody_named_stays_as_it_is():
    transcript = Transcript()
    other = TOKEN.replace("c2ln", "b3Ro")
    _login(transcript, "owner", TOKEN)
    _login(transcript, "other", other)
    _get(transcript, "/v1/expenses/1", other)
    _get(transcript, "/v1/expenses", "not-a-token")
    lines = transcript.lines()
    assert lines[0].startswith("curl -i -X POST")  # a token no line uses: shown as it ran
    assert lines[1].startswith("TOKEN_OTHER=$(curl -s ")
    assert '"Authorization: Bearer $TOKEN_OTHER"' in lines[2]
    assert "'Authorization: Bearer not-a-token'" in lines[3]


def test_a_created_records_id_is_replaced_only_where_it_is_a_segment_of_a_path():
    transcript = Transcript()
    create = transcript.add(Step(("curl", "-i", "-X", "POST", f"{URL}/v1/expenses", "-d", "{}")))
    create.capture = Capture("EXPENSE_ID", "id", "1")
    _get(transcript, "/v1/expenses/1?page=1")
    _get(transcript, "/v1/expenses/10")
    lines = transcript.lines()
    assert lines[0].startswith("EXPENSE_ID=$(curl -s -X POST http://127.0.0.1:8000/v1/expenses")
    assert '"http://127.0.0.1:8000/v1/expenses/$EXPENSE_ID?page=1"' in lines[1]  # not 127.0.0.1
    assert "http://127.0.0.1:8000/v1/expenses/10" in lines[2]


def test_commands_say_what_the_checker_saw_only_where_it_is_news():
    transcript = Transcript()
    transcript.set_up("export DATA_FILE=$(mktemp -d)/data.json")
    transcript.add(Step(("tracker", "add", "--note", "it's lunch")))
    refused = transcript.add(Step(("tracker", "show", "99")))
    refused.saw = "exit 1"
    transcript.tear_down("kill $!  # stop the server")
    assert transcript.lines() == [
        "export DATA_FILE=$(mktemp -d)/data.json",
        "tracker add --note 'it'\"'\"'s lunch'",
        "tracker show 99  # → exit 1",
        "kill $!  # stop the server",
    ]
    assert transcript.steps == ["tracker add --note 'it'\"'\"'s lunch'", "tracker show 99"]
    assert Transcript().lines() == []  # no program ran: nothing to paste


def test_a_named_value_in_a_word_with_quotes_and_dollars_reaches_the_program_unchanged():
    transcript = Transcript()
    _login(transcript, "owner", TOKEN)
    word = f'{{"note": "costs $5 `now`", "token": "{TOKEN}"}}'
    transcript.add(Step(("printf", "%s", word)))
    line = transcript.lines()[1]
    printed = subprocess.run(
        ["bash", "-c", f"TOKEN_OWNER={shlex.quote(TOKEN)}; {line}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == word
