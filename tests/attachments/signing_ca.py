"""A certification authority made by the test: a root, and an office certificate it issued as PKCS#12."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OFFICE = "UBND phường Đông Hà"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_ca(folder: Path, passphrase: str = "matkhau-chungthu") -> tuple[Path, bytes]:
    """(the office's .p12, the root certificate as DER): what a verifier trusts."""
    now = dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (x509.CertificateBuilder().subject_name(_name("CA thử nghiệm")).issuer_name(_name("CA thử nghiệm"))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(root_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(OFFICE)).issuer_name(root.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(root_key, hashes.SHA256()))
    p12 = folder / "office.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", key, cert, [root], serialization.BestAvailableEncryption(passphrase.encode())))
    return p12, root.public_bytes(serialization.Encoding.DER)
