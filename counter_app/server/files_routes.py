"""HTTP routes of the file channel: a file's state, a chunk uploaded, the content read back.

- ``GET  /api/v1/files/{sha256}`` → ``{sha256, state, received, size}``
- ``PUT  /api/v1/files/{sha256}?offset=N&total=T``, body the chunk (application/octet-stream)
  → the same; wrong offset → 409 with ``received``; the last chunk completes the file (hash
  mismatch → 422 ``file.hash_mismatch``, the partial discarded); a file already complete →
  200 ``complete`` without storing anything (dedup by hash); over the per-file limit → 413.
- ``GET  /api/v1/files/{sha256}/content`` with ``Range`` (206) for downloads.
"""
# No "from __future__ import annotations": FastAPI must see the route annotations (see app.py).
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..sync.protocol import API, MAX_FILE_CHUNK
from .files import FileService

FILES = f"{API}/files"
OCTETS = "application/octet-stream"  # never gzipped (GZipMiddleware excludes it in app.py)


def install_file_routes(app: FastAPI, service: Any, device: Any) -> None:
    """``device``: the app's dependency giving the calling (active) device. The file use cases are
    asked of ``service`` at each request (``service.file_service()``): its blob store may be chosen
    after the app is made."""

    def files() -> FileService:
        found: FileService = service.file_service()
        return found

    @app.get(f"{FILES}/{{sha256}}", tags=["files"])
    def state(sha256: str, caller: Annotated[Any, Depends(device)]) -> dict[str, Any]:
        """What the server holds of a file: complete, partial (``received`` bytes) or absent."""
        return files().state(caller.office_code, sha256).to_json()

    @app.put(f"{FILES}/{{sha256}}", tags=["files"])
    async def upload(sha256: str, request: Request, caller: Annotated[Any, Depends(device)],
                     offset: Annotated[int, Query(ge=0, le=2**53)],
                     total: Annotated[int, Query(ge=1, le=2**53)]) -> JSONResponse:
        """One chunk of a file at ``offset``; the answer says how much the server now holds."""
        # Checked before the body is read: a device with no right to the file uploads nothing.
        await run_in_threadpool(files().require_allowed, caller.office_code, sha256)
        data = await request.body()
        if len(data) > MAX_FILE_CHUNK:
            from ..domain.errors import DomainError

            raise DomainError("file.chunk_too_large", size=f"{len(data):,}", limit=f"{MAX_FILE_CHUNK:,}")
        answer = await run_in_threadpool(files().put, caller.office_code, sha256, offset, total, data)
        return JSONResponse(answer.to_json())

    @app.get(f"{FILES}/{{sha256}}/content", tags=["files"], response_class=StreamingResponse)
    def content(sha256: str, caller: Annotated[Any, Depends(device)],
                byte_range: Annotated[str | None, Header(alias="Range", max_length=200)] = None) -> Response:
        """The file's bytes, or one range of them (206)."""
        got = files().open(caller.office_code, sha256, byte_range)
        headers = {"Accept-Ranges": "bytes", "Content-Length": str(got.end - got.start + 1),
                   "ETag": f'"{sha256}"'}
        if byte_range:
            headers["Content-Range"] = f"bytes {got.start}-{got.end}/{got.size}"
        return StreamingResponse(got.chunks, status_code=206 if byte_range else 200, media_type=OCTETS,
                                 headers=headers)
