"""The server runner: a server that never binds, binds late or dies is a clear failure."""

import os
import signal
import socket
import sys
import threading
import time

import httpx
import pytest

from checks.harness import process
from checks.harness.doors.http.server import BUSY_START_FACTOR, PORT_TRIES, Server, free_port
from checks.harness.failure import CheckFailed
from tests.conftest import processes_with

SERVE = """
import http.server, sys, time
time.sleep(float(sys.argv[2]))
print("listening", flush=True)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler
                       ).serve_forever()
"""


def _server(tmp_path, code, *args):
    port = free_port()
    script = tmp_path / "serve.py"
    script.write_text(code)
    argv = [sys.executable, str(script), str(port), *args]
    return Server(argv, cwd=tmp_path, env=os.environ, port=port)


def test_a_server_that_binds_late_but_in_time_is_ready(tmp_path):
    with _server(tmp_path, SERVE, "0.5") as server:
        server.start(deadline=10)
        assert httpx.get(server.url + "/").status_code == 200
        assert "listening" in server.log_tail()
    assert not server.alive()


def test_a_server_that_never_binds_fails_at_the_deadline_and_is_gone(tmp_path):
    marker = f"roadmap-nobind-{os.getpid()}-{time.monotonic_ns()}"
    server = _server(tmp_path, f"import time\nprint('{marker}', flush=True)\ntime.sleep(600)")
    began = time.monotonic()
    with pytest.raises(CheckFailed, match="did not listen") as raised:
        server.start(deadline=1)
    assert time.monotonic() - began < 5
    assert marker in raised.value.got
    assert not server.alive()


BUSY_THEN_SERVE = SERVE.replace(
    "time.sleep(float(sys.argv[2]))",
    "end = time.monotonic() + float(sys.argv[2])\nwhile time.monotonic() < end:\n    pass",
)


def test_a_server_busy_starting_past_its_deadline_is_waited_for(tmp_path):
    """A loaded machine starts a correct server slowly: while it uses CPU, it is starting."""
    with _server(tmp_path, BUSY_THEN_SERVE, "2.5") as server:
        server.start(deadline=1)
        assert httpx.get(server.url + "/").status_code == 200


def test_a_server_busy_for_ever_fails_at_its_bound_and_says_it_was_busy(tmp_path):
    server = _server(tmp_path, BUSY_THEN_SERVE, "600")
    began = time.monotonic()
    with pytest.raises(CheckFailed, match="did not listen") as raised:
        server.start(deadline=1)
    waited = time.monotonic() - began
    assert BUSY_START_FACTOR <= waited < BUSY_START_FACTOR + 3
    assert "busy all the while past its 1 s" in raised.value.problem
    assert not server.alive()


def test_a_server_that_crashes_at_start_shows_its_last_words(tmp_path):
    code = "import sys\nprint('ImportError: no module named app', flush=True)\nsys.exit(3)"
    server = _server(tmp_path, code)
    with pytest.raises(CheckFailed, match="exited with code 3") as raised:
        server.start(deadline=10)
    assert "ImportError" in raised.value.got


def test_a_server_that_dies_mid_run_is_noticed_and_leaves_nothing(tmp_path):
    marker = f"roadmap-child-{os.getpid()}-{time.monotonic_ns()}"
    code = SERVE.replace(
        'print("listening", flush=True)',
        "import subprocess; subprocess.Popen([sys.executable, '-c', "
        f"'import time; time.sleep(600)', '{marker}']); print('listening', flush=True)",
    )
    server = _server(tmp_path, code, "0")
    server.start(deadline=10)
    server._proc.kill()  # the server dies; its child lingers until the group is killed
    time.sleep(0.2)
    assert not server.alive()
    server.stop()
    time.sleep(0.2)
    assert not processes_with(marker)


def test_a_port_still_held_by_someone_else_is_never_trusted_the_server_gets_a_fresh_one(
    tmp_path,
):
    server = _server(tmp_path, SERVE, "0")
    with socket.socket() as squatter:  # what a forked helper of the last server would do
        squatter.bind(("127.0.0.1", server.port))
        squatter.listen()
        held = server.port
        with server:
            server.start(deadline=10)
            assert server.port != held
            assert httpx.get(server.url + "/").status_code == 200


def test_a_port_taken_between_its_choice_and_the_bind_is_ours_the_server_starts_again(
    tmp_path,
):
    """Another server of the run binds the chosen port first: the learner did nothing wrong."""
    server = _server(tmp_path, SERVE, "1.0")  # it binds a second after it starts
    chosen = server.port

    def take_the_port() -> None:
        time.sleep(0.1)
        squatter.bind(("127.0.0.1", chosen))
        squatter.listen()

    with socket.socket() as squatter, server:
        thread = threading.Thread(target=take_the_port)
        thread.start()
        server.start(deadline=20)
        thread.join()
        assert server.port != chosen
        assert "Address already in use" in server.log_tail()  # the first start's last words
        assert httpx.get(server.url + "/").status_code == 200


def test_a_server_that_always_finds_its_port_taken_fails_after_a_few_tries(tmp_path):
    starts = tmp_path / "starts"
    code = (
        f"import sys\nopen({str(starts)!r}, 'a').write('start\\n')\n"
        "print('OSError: [Errno 98] Address already in use', flush=True)\nsys.exit(1)"
    )
    server = _server(tmp_path, code)
    with pytest.raises(CheckFailed, match="exited with code 1 before it listened") as raised:
        server.start(deadline=20)
    assert starts.read_text().count("start") == PORT_TRIES
    assert "Address already in use" in raised.value.got
    assert not server.alive()


def test_a_server_program_that_is_not_installed_is_said_so(tmp_path, contained):
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    server = Server(["gunicorn", "app:app"], cwd=tmp_path, env=env, port=free_port())
    with pytest.raises(CheckFailed, match="exited with code 127") as raised:
        server.start(deadline=10)
    assert raised.value.got.startswith("`gunicorn` is not installed in your project")
    assert "setpriv: failed to execute gunicorn" in raised.value.got


SAVES_ON_CTRL_C = SERVE.replace(
    ").serve_forever()",
    """)
try:
    server.serve_forever()
except KeyboardInterrupt:  # as coverage does: write the data on the way out
    open(sys.argv[3], "w").write("saved")
""",
).replace("http.server.HTTPServer(", "server = http.server.HTTPServer(")


@pytest.fixture
def started_in_the_background():
    """The checker as `cmd &` in a script starts it (CI runners do): Ctrl-C ignored, which
    every program it starts would inherit."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    yield
    signal.signal(signal.SIGINT, before)


def test_a_server_asked_to_stop_gracefully_saves_its_data_even_as_a_namespaces_first_process(
    tmp_path, contained
):
    saved = tmp_path / "saved"
    server = _server(tmp_path, SAVES_ON_CTRL_C, "0", str(saved))
    server.start(deadline=10)
    assert server.stop(grace=10) is True
    assert saved.read_text() == "saved"
    assert not server.alive()


def test_a_server_that_ignores_ctrl_c_is_killed_once_the_grace_is_over(tmp_path):
    deaf = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n" + SERVE
    server = _server(tmp_path, deaf, "0")
    server.start(deadline=10)
    began = time.monotonic()
    assert server.stop(grace=0.5) is False
    assert time.monotonic() - began < 3
    assert not server.alive()
    assert server.stop(grace=0.5) is False  # stopping twice is harmless


def test_a_listener_on_the_port_counts_only_when_the_servers_own_processes_hold_it(tmp_path):
    """What start() relies on to never grade another program's answers as the server's:
    a squatter on a port answers connections too, but no process of the server holds it."""
    with _server(tmp_path, SERVE, "0") as server, socket.socket() as squatter:
        server.start(deadline=10)
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        assert server._proc is not None
        group = server._proc.pid
        assert process.listens_on(group, server.port) is True
        assert process.listens_on(group, squatter.getsockname()[1]) is False


def test_a_checker_started_in_the_background_still_stops_its_server_gracefully(
    tmp_path, contained, started_in_the_background
):
    saved = tmp_path / "saved"
    server = _server(tmp_path, SAVES_ON_CTRL_C, "0", str(saved))
    server.start(deadline=10)
    assert server.stop(grace=10) is True
    assert saved.read_text() == "saved"
