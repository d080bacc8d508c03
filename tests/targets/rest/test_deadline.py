"""A server that drips its answer cannot hold a RestAgent call (a real socket on 127.0.0.1)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from syncspec.model.errors import TargetError
from syncspec.targets.rest.agent import RestAgent
from tests.differential.helpers import fast_policy


@pytest.fixture
def dripping_server() -> Iterator[str]:
    """Accepts connections and sends a valid answer one byte every 50 ms, for as long as it is read."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n["
        + b" " * 99_999
    )

    def drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for byte in answer:
                    if stop.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(0.05)
            except OSError:
                return  # the client gave up and closed: what the test wants

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_dripping_answer_ends_in_a_timeout_not_a_hang(dripping_server: str) -> None:
    # Each byte comes well within the read timeout; only the overall deadline can end this.
    with (
        RestAgent(dripping_server, timeout=(2.0, 5.0), deadline=0.5, retries=fast_policy(attempts=1)) as rest,
        pytest.raises(TargetError, match="no answer in time"),
    ):
        rest.get_all_connectors()
