"""c17: payments-gateway's TLS certificate expires while checkout-api is calling it.

An internal CA (valid for years) issued payments-gateway a certificate whose notAfter falls a
few seconds into the run. Once it passes, checkout-api's TLS handshakes fail with
`certificate verify failed: certificate has expired`; checkouts fail with tracebacks and nginx
logs 500s. Nothing else changes.
"""

from __future__ import annotations

import datetime
import http.client
import json
import ssl
import time
from pathlib import Path

import _support
from _nginx import Nginx
from _service import Handler, WebService
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VALID_SECONDS = 14


def issue_certificates(directory: Path) -> tuple[Path, Path, Path, datetime.datetime]:
    """An internal CA and a server certificate for localhost expiring soon; returns paths."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Shop Internal CA 2025")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=400))
        .not_valid_after(now + datetime.timedelta(days=3000))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    not_after = now + datetime.timedelta(seconds=VALID_SECONDS)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "payments-gateway")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=90))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths[0], paths[1], paths[2], not_after


def checkout_routes(gateway_port: int, ca_file: Path) -> dict[str, Handler]:
    """checkout-api: charge the order through payments-gateway over HTTPS."""
    context = ssl.create_default_context(cafile=str(ca_file))

    def checkout(path: str) -> object:
        order = int(path.rsplit("/", 1)[1])
        connection = http.client.HTTPSConnection(
            "localhost", gateway_port, timeout=5, context=context
        )
        try:
            connection.request("POST", "/v1/charges", body=json.dumps({"order": order}))
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    return {"/api/checkout/": checkout, "/api/cart/": lambda path: {"items": 2}}


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        ca_file, cert_file, key_file, not_after = issue_certificates(work)
        gateway_logger = _support.service_logger("payments-gateway", out / "payments.log")
        gateway_port = _support.free_port()
        gateway = WebService(
            "payments-gateway",
            gateway_port,
            gateway_logger,
            {"/v1/charges": lambda path: {"status": "captured"}},
        )
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_context.load_cert_chain(cert_file, key_file)
        gateway.server.socket = server_context.wrap_socket(gateway.server.socket, server_side=True)
        gateway_logger.info(
            "TLS enabled with %s (subject CN=payments-gateway, issuer CN=Shop Internal CA "
            "2025, notAfter=%s)",
            cert_file.name,
            not_after.strftime("%b %d %H:%M:%S %Y GMT"),
        )
        gateway.start()
        logger = _support.service_logger("checkout-api", out / "app.log")
        api_port = _support.free_port()
        api = WebService(
            "checkout-api", api_port, logger, checkout_routes(gateway_port, ca_file)
        ).start()
        nginx = Nginx(work, out, upstream_name="checkout_api", upstream_port=api_port).start()
        traffic = _support.Traffic(
            nginx.port,
            lambda r: (
                f"POST /api/checkout/{r.randint(1, 99999)}"
                if r.random() < 0.6
                else f"/api/cart/{r.randint(1, 99999)}"
            ),
            pause_seconds=0.05,
        ).start()
        time.sleep(VALID_SECONDS + 5)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
        gateway.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="All checkouts have been failing for the last few minutes; carts still load. "
        "What is wrong?",
        category="tls",
        component="payments-gateway",
        statement=(
            "payments-gateway's TLS certificate expired, so checkout-api's HTTPS calls to it "
            "fail certificate verification (certificate has expired)."
        ),
        proving_lines=[
            _support.proving(out / "payments.log", r"TLS enabled with .*notAfter="),
            _support.proving(
                out / "app.log", r"certificate verify failed: certificate has expired"
            ),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
