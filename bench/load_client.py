"""The load client of `bench/http_load.py`: one asyncio process keeping N HTTP/1.1 connections busy, each
a signed-in worker asking for its page again as soon as the answer has arrived (closed loop), with the
latencies, errors and bytes of the answers, and the machine's CPU use while it ran."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Worker:
    email: str
    cookie: str
    clients: list[str]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    bytes: int = 0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    size = 0
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            chunk = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                break
    else:
        size = int(headers.get("content-length", "0"))
        await reader.readexactly(size)
    return status, size, headers.get("connection", "").lower() == "close"


async def connection_loop(
    port: int, paths: itertools.cycle[str], cookie: str, until: float, result: Result | None
) -> None:
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    try:
        while time.monotonic() < until:
            path = next(paths)
            request = (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
                f"{'Cookie: ' + cookie + chr(13) + chr(10) if cookie else ''}\r\n"
            ).encode()
            started = time.perf_counter()
            try:
                # A connection the server closed is opened again within the request's time, as a
                # browser would have to.
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", port)
                reader, writer = connection
                writer.write(request)
                status, size, close = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                if result is not None:
                    result.error(type(error).__name__)
                if connection is not None:
                    connection[1].close()
                connection = None
                continue
            elapsed = time.perf_counter() - started
            if result is not None:
                if status == 200:
                    result.latencies.append(elapsed)
                    result.bytes += size
                else:
                    result.error(f"HTTP {status}")
            if close:
                writer.close()
                connection = None
    finally:
        if connection is not None:
            connection[1].close()


async def drive(port: int, workers: list[Worker], page: str, seconds: float, measure: bool) -> Result | None:
    result = Result() if measure else None
    until = time.monotonic() + seconds
    loops = []
    for n, worker in enumerate(workers):
        if page == "caseload":
            paths, cookie = ["/caseload/"], worker.cookie
        elif page == "client":
            # Each connection starts at a different client so that no two ask for the same one at once.
            offset = n % max(len(worker.clients), 1)
            paths = [f"/clients/{c}/" for c in worker.clients[offset:] + worker.clients[:offset]]
            cookie = worker.cookie
        else:
            paths, cookie = ["/healthz/"], ""
        loops.append(connection_loop(port, itertools.cycle(paths), cookie, until, result))
    await asyncio.gather(*loops)
    return result


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]
