"""The server's VAPID key pair (RFC 8292): it signs every push request, and its public half is the
`applicationServerKey` a browser subscribes with.

Where the key comes from, in order: settings.LDN_VAPID_PRIVATE_KEY (the environment, for
production: every web and worker process must sign with the same key, and a new key makes every
device subscribe again); else the file settings.LDN_VAPID_KEY_FILE in the data folder, made at
first use with mode 0600 (a local instance, like its secret_key file).
"""

from __future__ import annotations

import base64
import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _from_environment(raw: str) -> ec.EllipticCurvePrivateKey:
    if raw.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(raw.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("LDN_VAPID_PRIVATE_KEY must be a P-256 (prime256v1) EC key")
        return key
    scalar = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    return ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())


def _from_file(path: Path) -> ec.EllipticCurvePrivateKey:
    """Read the key file, making it first if there is none (O_EXCL: of two processes starting at
    once, one writes it and both read the same key)."""
    if not path.exists():
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} must hold a P-256 EC private key")
    return key


@functools.lru_cache(maxsize=4)
def _key(raw: str, path: str) -> ec.EllipticCurvePrivateKey:
    return _from_environment(raw) if raw else _from_file(Path(path))


def private_key() -> ec.EllipticCurvePrivateKey:
    return _key(settings.LDN_VAPID_PRIVATE_KEY, str(settings.LDN_VAPID_KEY_FILE))


def signer() -> Vapid:
    """The key as pywebpush takes it."""
    return Vapid(private_key())


def public_key() -> str:
    """The uncompressed P-256 point, base64url without padding: the applicationServerKey."""
    point = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64url(point)
