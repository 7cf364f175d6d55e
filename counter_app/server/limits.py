"""Request body size bound, enforced before the body is read and before authentication.

FastAPI reads (and parses) a JSON body before it resolves any dependency, the bearer
token included: without this bound, anyone could make the server buffer 100 MB per
request. ``BodyLimit`` is plain ASGI, outside every other layer: a declared
``Content-Length`` above the bound is answered 413 without reading a byte; a body
without one (chunked) is counted as it arrives and cut off at the bound.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once the bound is passed. An HTTPException, so FastAPI's body
    parsing lets it through as it is (it turns any other exception into a 400)."""

    def __init__(self, limit: int) -> None:
        # "Connection: close": otherwise the server would go on reading (and discarding) the
        # rest of the body to reach the next request on the connection.
        super().__init__(413, f"request body larger than {limit:,} bytes", headers={"Connection": "close"})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(send, self.max_bytes)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if not started:  # a route that read the body itself and let the error out
                await _refuse(send, self.max_bytes)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            # Unparseable counts as too large: the server cannot know what is coming.
            return int(text) if text.isdigit() and len(text) < 19 else 2**63
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"code": "http.413", "reason": f"request body larger than {limit:,} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
