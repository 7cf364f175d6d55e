"""HTTP transport of the sync client (httpx), mapping failures to ``TransportError``.

Retryable: the network (connection refused, timeouts), 5xx, 429, answers that are
not our JSON (a captive portal, a proxy page). Not retryable: 401 (the device was
revoked or has no token — the user must act) and other 4xx, with the server's
``{code, reason}``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from .engine import TransportError
from .protocol import (
    API,
    VERSION_HEADER,
    ConfirmRequest,
    ConfirmResponse,
    EnrollRequest,
    EnrollResponse,
    FileStateResponse,
    HelloRequest,
    HelloResponse,
    NumbersRequest,
    NumbersResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    ResolveRequest,
    ReviewItem,
    ReviewResponse,
)

M = TypeVar("M", bound=BaseModel)
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)  # a 500-change push on a slow line takes a while
# Keep an idle connection 60 s (httpx's default is 5 s): a counter pushes after each save, often
# more than 5 s apart, and a new TLS handshake on a slow commune line costs more than the push.
# Below the server's 75 s (``serve``), so the client always gives the connection up first.
KEEPALIVE = httpx.Limits(max_connections=4, max_keepalive_connections=2, keepalive_expiry=60.0)
# The office hub's numbers are asked while the clerk waits for the receipt: a hub on the LAN
# answers in a few milliseconds; one that does not answer within this is treated as down.
NUMBERS_TIMEOUT = httpx.Timeout(0.5, connect=0.25)
OFFLINE = "sync.offline"
SERVER_ERROR = "sync.server_error"
BAD_RESPONSE = "sync.bad_response"


class HttpTransport:
    """``base``: the server URL, or a ready ``httpx.Client`` (tests pass FastAPI's TestClient).

    ``app_version``: said in every request's ``X-Counter-Version`` (default: this app's version,
    read when the transport is made)."""

    def __init__(self, base: str | httpx.Client, token_provider: Callable[[], str | None] = lambda: None, *,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT, app_version: str | None = None) -> None:
        if app_version is None:
            import counter_app

            app_version = counter_app.__version__
        self.app_version = app_version
        if isinstance(base, httpx.Client):
            self._client, self._owned = base, False
        else:
            self._client = httpx.Client(base_url=base.rstrip("/"), timeout=timeout, limits=KEEPALIVE)
            self._owned = True
        self._token = token_provider

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def enroll(self, req: EnrollRequest) -> EnrollResponse:
        return self._send("POST", f"{API}/enroll", EnrollResponse, body=req, auth=False)

    def hello(self, req: HelloRequest) -> HelloResponse:
        return self._send("POST", f"{API}/sync/hello", HelloResponse, body=req)

    def push(self, req: PushRequest) -> PushResponse:
        return self._send("POST", f"{API}/sync/push", PushResponse, body=req)

    def pull(self, after: int, limit: int, after_id: str = "") -> PullResponse:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if after_id:
            params["after_id"] = after_id
        return self._send("GET", f"{API}/sync/pull", PullResponse, params=params)

    def numbers(self, req: NumbersRequest) -> NumbersResponse:
        return self._send("POST", "/api/v1/hub/numbers", NumbersResponse, body=req, timeout=NUMBERS_TIMEOUT)

    def confirm(self, req: ConfirmRequest) -> ConfirmResponse:
        return self._send("POST", f"{API}/sync/confirm", ConfirmResponse, body=req)

    def review(self, after: str = "") -> ReviewResponse:
        params = {"after": after} if after else None
        return self._send("GET", f"{API}/sync/review", ReviewResponse, params=params)

    def resolve(self, item_id: str, req: ResolveRequest) -> ReviewItem:
        return self._send("POST", f"{API}/sync/review/{quote(item_id, safe='')}/resolve", ReviewItem, body=req)

    def download(self, path: str, dest: Path, progress: Callable[[int, int | None], None]) -> int:
        """Stream a file the server hosts (the installer) into ``dest``; ``TransportError`` on failure.

        A ``dest`` already holding the first bytes (a download cut earlier) is resumed: only the rest is
        asked for (``Range``) and appended. A server that answers the whole file instead (200) has it
        written from the start; one that finds the range past its file (416) is asked again for the
        whole. Returns the bytes received now (the caller checks the whole file's hash)."""
        headers = {VERSION_HEADER: self.app_version, "Accept-Encoding": "identity"}  # the file's own bytes
        token = self._token()
        if not token:
            raise TransportError(False, "auth.required", "this workstation is not enrolled")
        headers["Authorization"] = f"Bearer {token}"
        try:
            have = dest.stat().st_size if dest.is_file() else 0
            received = self._receive(path, dest, headers, have, progress)
            if received is None:  # 416: what we hold is not a beginning of this file
                received = self._receive(path, dest, headers, 0, progress)
            return received or 0
        except httpx.TimeoutException as exc:
            raise TransportError(True, OFFLINE, f"timed out: {exc}") from exc
        except httpx.TransportError as exc:
            raise TransportError(True, OFFLINE, str(exc) or type(exc).__name__) from exc

    def _receive(self, path: str, dest: Path, headers: dict[str, str], have: int,
                 progress: Callable[[int, int | None], None]) -> int | None:
        """One GET of the file from byte ``have`` on; None when the server says that range is not there."""
        asked = dict(headers, Range=f"bytes={have}-") if have else headers
        with self._client.stream("GET", path, headers=asked) as resp:
            if have and resp.status_code == 416:
                resp.read()
                return None
            if resp.status_code >= 400:
                resp.read()
                raise _http_error(resp)
            start, total = _body_span(resp, have)
            received = 0
            with dest.open("r+b" if start else "wb") as file:
                file.seek(start)
                file.truncate()
                done = start
                # As they arrive (no re-chunking): bytes buffered by httpx would be lost when the line breaks.
                for chunk in resp.iter_bytes():
                    file.write(chunk)
                    done += len(chunk)
                    received += len(chunk)
                    progress(done, total)
            return received

    # --- the file channel (sync/files.py) ---
    def file_state(self, sha256: str) -> FileStateResponse:
        return self._send("GET", f"{API}/files/{sha256}", FileStateResponse)

    def put_file_chunk(self, sha256: str, offset: int, total: int, chunk: bytes) -> FileStateResponse:
        """One chunk; ``file.offset_mismatch`` carries the server's ``received`` in its params."""
        return self._send("PUT", f"{API}/files/{sha256}", FileStateResponse, content=chunk,
                          params={"offset": offset, "total": total})

    def get_file(self, sha256: str, start: int, sink: Callable[[bytes], None]) -> int:
        """The file's bytes from ``start`` on, handed to ``sink`` as they arrive; the file's whole size."""
        headers = self._headers(auth=True)
        headers["Accept-Encoding"] = "identity"
        if start:
            headers["Range"] = f"bytes={start}-"
        try:
            with self._client.stream("GET", f"{API}/files/{sha256}/content", headers=headers) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    raise _http_error(resp)
                if start and resp.status_code != 206:
                    raise TransportError(True, BAD_RESPONSE, "the server ignored the byte range")
                total = resp.headers.get("content-range", "").rpartition("/")[2] or resp.headers.get(
                    "content-length", "0")
                # As they arrive (no re-chunking): bytes buffered by httpx would be lost when the line breaks.
                for chunk in resp.iter_bytes():
                    sink(chunk)
                return int(total) if total.isdigit() else 0
        except httpx.TimeoutException as exc:
            raise TransportError(True, OFFLINE, f"timed out: {exc}") from exc
        except httpx.TransportError as exc:
            raise TransportError(True, OFFLINE, str(exc) or type(exc).__name__) from exc

    def _headers(self, *, auth: bool) -> dict[str, str]:
        headers = {VERSION_HEADER: self.app_version}
        if auth:
            token = self._token()
            if not token:
                raise TransportError(False, "auth.required", "this workstation is not enrolled")
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _send(self, method: str, path: str, model: type[M], *, body: BaseModel | None = None,
              params: dict[str, Any] | None = None, auth: bool = True, timeout: httpx.Timeout | None = None,
              content: bytes | None = None) -> M:
        headers = self._headers(auth=auth)
        if body is not None:
            headers["Content-Type"] = "application/json"
        elif content is not None:
            headers["Content-Type"] = "application/octet-stream"
        try:
            # A client handed in (FastAPI's TestClient in tests) keeps its own timeouts.
            extra: dict[str, Any] = {"timeout": timeout} if timeout is not None and self._owned else {}
            resp = self._client.request(method, path, content=body.model_dump_json() if body else content,
                                        params=params, headers=headers, **extra)
        except httpx.TimeoutException as exc:
            raise TransportError(True, OFFLINE, f"timed out: {exc}") from exc
        except httpx.TransportError as exc:  # connection refused, DNS, reset...
            raise TransportError(True, OFFLINE, str(exc) or type(exc).__name__) from exc
        if resp.status_code >= 400:
            raise _http_error(resp)
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            raise TransportError(True, BAD_RESPONSE, f"unexpected answer to {path}: {exc.errors()[0]['msg']}") from exc


THROTTLED = "enroll.throttled"
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


def _body_span(resp: httpx.Response, asked: int) -> tuple[int, int | None]:
    """Where the body starts in the file, and the file's whole size (None: not said)."""
    length = int(resp.headers.get("content-length", "0") or 0)
    if resp.status_code != 206:
        return 0, length or None  # the whole file (a server or proxy that ignores Range)
    span = _CONTENT_RANGE.fullmatch(resp.headers.get("content-range", "").strip())
    if span is None or int(span.group(1)) != asked:
        # A part we did not ask for: appending it would splice two places of the file.
        raise TransportError(True, BAD_RESPONSE, f"asked from byte {asked}, got {resp.headers.get('content-range')!r}")
    return asked, int(span.group(3)) if span.group(3) != "*" else None


def _http_error(resp: httpx.Response) -> TransportError:
    code, reason = _error_body(resp)
    status = resp.status_code
    if code == THROTTLED:
        # Said to the clerk as it is: retrying at once would only prolong the wait.
        wait = resp.headers.get("Retry-After", "")
        return TransportError(False, code, reason, {"seconds": int(wait) if wait.isdigit() else 60})
    if status >= 500 or status in (408, 429):
        return TransportError(True, SERVER_ERROR if status >= 500 else OFFLINE, reason or f"HTTP {status}")
    if status == 401:
        return TransportError(False, code if code in ("device.revoked", "auth.required") else "auth.required", reason)
    if code == "file.offset_mismatch":  # where the server's copy ends: the upload resumes there
        return TransportError(False, code, reason, {"received": _received(resp)})
    return TransportError(False, code or f"http.{status}", reason or f"HTTP {status}")


def _error_body(resp: httpx.Response) -> tuple[str, str]:
    try:
        data = resp.json()
    except ValueError:
        return "", resp.text[:200]
    if isinstance(data, dict):
        return str(data.get("code") or ""), str(data.get("reason") or data.get("detail") or "")
    return "", str(data)[:200]


def _received(resp: httpx.Response) -> int:
    try:
        value = resp.json().get("received")
    except (ValueError, AttributeError):
        return 0
    return value if isinstance(value, int) and value >= 0 else 0
