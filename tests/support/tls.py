"""A throwaway certificate authority for TLS tests on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["LoopbackTls", "make_loopback_tls"]


@dataclass(frozen=True)
class LoopbackTls:
    certificate_pem: bytes
    server_context: ssl.SSLContext
    client_context: ssl.SSLContext
    """Trusts only this certificate, and checks that it is valid for 127.0.0.1."""


def make_loopback_tls() -> LoopbackTls:
    """A self-signed certificate for ``127.0.0.1``/``localhost`` (EC P-256: milliseconds to make)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "procus test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as directory:
        cert_file, key_file = Path(directory) / "cert.pem", Path(directory) / "key.pem"
        cert_file.write_bytes(certificate_pem)
        key_file.write_bytes(key_pem)
        server_context.load_cert_chain(cert_file, key_file)
    client_context = ssl.create_default_context(cadata=certificate_pem.decode())
    return LoopbackTls(certificate_pem, server_context, client_context)
