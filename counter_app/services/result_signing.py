"""The office's certificate for signing the citizen's electronic copy of a result.

Configured by an administrator: the certificate file's path is a setting of this data folder,
its passphrase a secret in the OS keyring (never in the database or a file). When none is
configured, the citizen gets the result file exactly as the department sent it.
"""
from __future__ import annotations

from collections.abc import Callable

from ..domain.errors import DomainError
from ..domain.ports import PdfSigner, SecretStore
from .context import ServiceContext
from .security import Permission, audit, guard

CERTIFICATE = "files.sign_certificate"  # the PKCS#12 file's path
PASSPHRASE = "pdf_signing.passphrase"  # its passphrase, in the keyring

LoadSigner = Callable[[str, str], PdfSigner]  # (path, passphrase) -> signer; raises DomainError


class ResultSigning:
    def __init__(self, ctx: ServiceContext, secrets: Callable[[], SecretStore], load: LoadSigner) -> None:
        self._ctx = ctx
        self._secrets = secrets
        self._load = load

    def configure(self, path: str, passphrase: str, clerk: str) -> str:
        """Check the certificate opens with ``passphrase``, then keep both; the certificate's subject."""
        path = path.strip()
        if not path:
            raise DomainError("sign.certificate_unreadable", path="(none)", detail="no file given")
        with self._ctx.reading() as uow:
            guard(uow, clerk, Permission.MANAGE_SETTINGS)
        subject = self._load(path, passphrase).subject()  # before anything is kept
        self._secrets().set(PASSPHRASE, passphrase)
        with self._ctx.uow() as uow:
            user = guard(uow, clerk, Permission.MANAGE_SETTINGS)
            uow.settings.set(CERTIFICATE, path)
            audit(self._ctx, uow, user.username, "sign.configure", {"certificate": path, "subject": subject})
            uow.commit()
        return subject

    def clear(self, clerk: str) -> None:
        with self._ctx.uow() as uow:
            user = guard(uow, clerk, Permission.MANAGE_SETTINGS)
            uow.settings.set(CERTIFICATE, "")
            audit(self._ctx, uow, user.username, "sign.clear", {})
            uow.commit()
        self._secrets().delete(PASSPHRASE)

    def signer(self) -> PdfSigner | None:
        """The configured signer, or None (no certificate configured)."""
        with self._ctx.reading() as uow:
            path = uow.settings.get(CERTIFICATE) or ""
        if not path:
            return None
        return self._load(path, self._secrets().get(PASSPHRASE) or "")

    def sign_result(self, data: bytes, dossier_code: str, place: str) -> tuple[bytes, bool]:
        """(the copy to give, whether it is signed)."""
        signer = self.signer()
        if signer is None:
            return data, False
        reason = f"Bản điện tử kết quả giải quyết hồ sơ {dossier_code}"
        return signer.sign(data, reason=reason, location=place), True
