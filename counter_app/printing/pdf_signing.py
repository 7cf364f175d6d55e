"""Signing the citizen's electronic copy of a result with the office's certificate (pyhanko).

The certificate is a PKCS#12 file (.p12/.pfx) issued to the office by a certification authority
(Vietnam's public CAs issue organisation certificates as such files or on tokens; a token's
PKCS#11 driver would be another implementation of the same ``PdfSigner`` port). The signature is
a PAdES signature in an incremental update, so the signed copy keeps every byte of the original
and any reader (Adobe, Foxit, the national portal's checker) can verify it.
"""
from __future__ import annotations

import io
import logging

from ..domain.errors import DomainError

log = logging.getLogger(__name__)


class Pkcs12Signer:
    """The ``PdfSigner`` port on a PKCS#12 file; loading it proves the passphrase and the file."""

    def __init__(self, path: str, passphrase: str) -> None:
        from pyhanko.sign import signers

        try:
            with open(path, "rb"):  # pyhanko reads it itself, and calls a missing file a bad one
                pass
        except OSError as exc:
            raise DomainError("sign.certificate_unreadable", path=path, detail=exc.strerror or str(exc)) from None
        try:
            signer = signers.SimpleSigner.load_pkcs12(pfx_file=path, passphrase=passphrase.encode() or None)
        except Exception as exc:  # noqa: BLE001 - pyhanko/cryptography raise several types for a bad file
            raise DomainError("sign.certificate_invalid", path=path, detail=str(exc)[:200] or type(exc).__name__) \
                from None
        if signer is None:  # pyhanko says a wrong passphrase or a broken file this way
            raise DomainError("sign.certificate_invalid", path=path, detail="wrong passphrase or not a PKCS#12 file")
        self._signer = signer
        self._path = path

    def subject(self) -> str:
        cert = self._signer.signing_cert
        return cert.subject.human_friendly if cert is not None else ""

    def sign(self, data: bytes, *, reason: str, location: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers

        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            meta = signers.PdfSignatureMetadata(field_name="KetQuaDienTu", reason=reason, location=location)
            out = signers.sign_pdf(writer, meta, signer=self._signer)
        except Exception as exc:  # noqa: BLE001 - a damaged or encrypted PDF: said, never a traceback
            log.warning("signing failed: %r", exc)
            raise DomainError("sign.failed", detail=str(exc)[:200] or type(exc).__name__) from None
        return out.getvalue()
