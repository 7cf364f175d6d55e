"""The citizen's electronic copy signed with the office's certificate: a CA made here, the signature
validated by pyhanko against that CA, a wrong passphrase or a damaged PDF refused in a sentence."""
from __future__ import annotations

import io

import pytest
from signing_ca import OFFICE, make_ca
from test_attachment_service import pdf

from counter_app.domain.errors import DomainError
from counter_app.printing.pdf_signing import Pkcs12Signer

PASS = "matkhau-chungthu"


def _validate(signed: bytes, root_der: bytes):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(root_der)], allow_fetching=False)
    return embedded, validate_pdf_signature(embedded, context)


def test_a_signed_copy_validates_against_the_ca_and_keeps_the_original_bytes(tmp_path):
    p12, root = make_ca(tmp_path, PASS)
    original = pdf("Giấy khai sinh", 2)
    signer = Pkcs12Signer(str(p12), PASS)
    assert OFFICE in signer.subject()
    signed = signer.sign(original, reason="Bản điện tử kết quả", location="Đông Hà")
    assert signed.startswith(original)  # an incremental update: the department's file is untouched
    embedded, status = _validate(signed, root)
    assert status.intact and status.valid and status.trusted and status.coverage.name == "ENTIRE_FILE"
    assert embedded.sig_object["/Reason"] == "Bản điện tử kết quả"


def test_a_copy_changed_after_signing_no_longer_validates(tmp_path):
    p12, root = make_ca(tmp_path, PASS)
    original = pdf("Kết quả")
    signed = bytearray(Pkcs12Signer(str(p12), PASS).sign(original, reason="r", location="l"))
    signed[signed.index(b"stream") + 20] ^= 0x01  # one bit of the page's content
    _embedded, status = _validate(bytes(signed), root)
    assert not status.intact


def test_a_wrong_passphrase_a_missing_file_and_a_damaged_pdf_are_said(tmp_path):
    p12, _root = make_ca(tmp_path, PASS)
    with pytest.raises(DomainError) as wrong:
        Pkcs12Signer(str(p12), "sai")
    assert wrong.value.code == "sign.certificate_invalid" and str(p12) in str(wrong.value)
    with pytest.raises(DomainError) as missing:
        Pkcs12Signer(str(tmp_path / "none.p12"), PASS)
    assert missing.value.code == "sign.certificate_unreadable"
    with pytest.raises(DomainError) as damaged:
        Pkcs12Signer(str(p12), PASS).sign(b"%PDF-1.4 not really", reason="r", location="l")
    assert damaged.value.code == "sign.failed" and "{" not in str(damaged.value)


def test_the_citizens_copy_of_a_result_is_signed_and_the_attached_file_is_not(demo, tmp_path):
    from memory_secrets import MemorySecrets
    from test_attachment_export import _with_result

    from counter_app.services.result_signing import ResultSigning

    p12, root = make_ca(tmp_path, PASS)
    secrets = MemorySecrets()
    signing = ResultSigning(demo.context, lambda: secrets, Pkcs12Signer)
    with pytest.raises(DomainError) as clerk:
        signing.configure(str(p12), PASS, "canbo1")
    assert clerk.value.code == "permission.denied" and secrets.values == {}
    assert OFFICE in signing.configure(str(p12), PASS, "admin")
    demo.attachments.signing = signing
    code, shown, data = _with_result(demo)
    stick = tmp_path / "usb"
    stick.mkdir()
    copy = open(demo.attachments.export(code, shown.id, "canbo1", str(stick)), "rb").read()
    assert copy.startswith(data) and copy != data
    embedded, status = _validate(copy, root)
    assert status.intact and status.trusted and code in embedded.sig_object["/Reason"]
    assert demo.attachments.files.read(shown.attachment.sha256) == data
    signing.clear("admin")
    assert open(demo.attachments.export(code, shown.id, "canbo1", str(stick)), "rb").read() == data
