"""A response's head leaves with its first body chunk (api.headers._HeadWithBody): one write
for a small answer, the `100 Continue` line at once, nothing held past a close."""

from __future__ import annotations

import asyncio
from typing import cast

from api.headers import _HeadWithBody


class _Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def _held(transport: _Transport) -> _HeadWithBody:
    return _HeadWithBody(cast("asyncio.Transport", transport))


def test_the_head_leaves_with_the_first_body_chunk() -> None:
    transport = _Transport()
    writer = _held(transport)
    writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n")
    assert transport.writes == []
    writer.write(b"body")
    writer.write(b"more")
    assert transport.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nbody", b"more"]


def test_an_empty_body_still_sends_the_head() -> None:
    transport = _Transport()
    writer = _held(transport)
    writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    writer.write(b"")
    assert transport.writes == [b"HTTP/1.1 204 No Content\r\n\r\n"]


def test_100_continue_is_not_held() -> None:
    transport = _Transport()
    writer = _held(transport)
    writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
    writer.write(b"HTTP/1.1 200 OK\r\n\r\n")
    writer.write(memoryview(b"x"))
    assert transport.writes[1:] == [b"HTTP/1.1 200 OK\r\n\r\nx"]


def test_a_close_sends_a_held_head_first() -> None:
    transport = _Transport()
    writer = _held(transport)
    writer.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
    writer.close()
    assert transport.writes == [b"HTTP/1.1 500 Internal Server Error\r\n\r\n"]
    assert transport.closed
    assert writer.is_closing()
