"""A network of the run's own for learner programs: a loopback, and nothing else.

Learner code must reach neither the internet nor any service on the machine (another
run's PostgreSQL, a mentor's database, anything on 127.0.0.1). When the checker runs as
root, each run makes one network namespace with only a loopback; every learner program
but the install joins it (`nsenter --net`, before the other namespaces). Inside it:

- the learner's servers listen on 127.0.0.1 as anywhere else, and the checker's own
  client reaches them from there: a thread enters the namespace for the time of one
  connection (`inside`), then returns to the machine's network;
- the run's PostgreSQL is on the same 127.0.0.1 port as outside, through a relay the
  checker runs (`Relay`): its listening socket lives in the run's namespace, its
  outgoing connections in the machine's, so the URLs learner programs get do not change,
  whether the server is the run's own cluster or one the mentor named.

Namespaces are per thread for `setns`, which is how one process holds sockets in both.
Without root (a learner's laptop), there is no run network: learner programs share the
machine's, and the report says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import socket
import struct
import threading
from collections.abc import Iterator

CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


class Network:
    """The run's network namespace, as a path any process of the run can open."""

    def __init__(self, path: str) -> None:
        self.path = path  # /proc/<checker pid>/fd/<fd>: the namespace, while the fd is open
        self._fd: int | None = None
        self._home: int | None = None

    @classmethod
    def create(cls) -> Network | None:
        """A new namespace with its loopback up, held open by this process; None where the
        kernel refuses (not root)."""
        made: list[int] = []

        def make() -> None:  # in a thread of its own: only that thread moves
            if _libc.unshare(CLONE_NEWNET) != 0:
                return
            made.append(os.open("/proc/thread-self/ns/net", os.O_RDONLY))
            _loopback_up()

        thread = threading.Thread(target=make, name="netns")
        thread.start()
        thread.join()
        if not made:
            return None
        network = cls(f"/proc/{os.getpid()}/fd/{made[0]}")
        network._fd = made[0]
        return network

    def close(self) -> None:
        for fd in (self._fd, self._home):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._fd = self._home = None

    @contextlib.contextmanager
    def inside(self) -> Iterator[None]:
        """Run the block with this thread in the run's network (sockets it makes there
        stay there), then bring the thread back to the machine's."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY)
        if self._home is None:
            self._home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        _setns(self._fd)
        try:
            yield
        finally:
            _setns(self._home)

    def enter_for_good(self) -> None:
        """Move this thread (a worker's main thread) into the run's network."""
        _setns(os.open(self.path, os.O_RDONLY))

    def nsenter(self) -> list[str]:
        """The prefix that starts a learner program in the run's network."""
        return [_tool("nsenter"), f"--net={self.path}", "--"]


def _loopback_up() -> None:
    """`ip link set lo up`, without needing iproute2 on the machine."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(probe, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _tool(name: str) -> str:
    import shutil

    return shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin") or name


class Relay:
    """127.0.0.1:`port` inside the run's network, forwarded to `host`:`port` outside it:
    learner programs reach the run's database, and nothing else of the machine."""

    def __init__(self, network: Network, port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, port)
        with network.inside():
            self.listener = socket.create_server(("127.0.0.1", port))
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, name="relay", daemon=True).start()

    def close(self) -> None:
        self._stopped.set()
        with contextlib.suppress(OSError):
            self.listener.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                inner, _ = self.listener.accept()
            except OSError:
                return
            try:
                outer = socket.create_connection(self.target, timeout=10)  # the machine's side
            except OSError:
                inner.close()
                continue
            outer.settimeout(None)
            for source, sink in ((inner, outer), (outer, inner)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy one direction until it ends, then end the other side's writing."""
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            source.close()


def run_network_path() -> str | None:
    """The path of this run's network namespace, or None (the machine's network)."""
    from checks.harness import process

    jail = process.containment()
    return jail.network if jail is not None else None


def enter_in_child(path: str | None) -> None:
    """In a child about to exec (preexec_fn): join the network `path` names, if any; a
    checker's own program that talks to a learner's server (the fuzzer) runs there."""
    if path is not None:
        _setns(os.open(path, os.O_RDONLY))


_opened: dict[str, Network] = {}  # this process's view of its run's network


@contextlib.contextmanager
def run_network() -> Iterator[None]:
    """Run the block in the network learner programs of this run are in (the run's own,
    or the machine's where there is none): the checker's side of a learner's socket."""
    path = run_network_path()
    if path is None:
        yield
        return
    network = _opened.setdefault(path, Network(path))
    with network.inside():
        yield
