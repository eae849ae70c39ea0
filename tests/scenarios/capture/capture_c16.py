"""c16: after a config rollout notifier addresses its mail gateway by a name DNS does not know.

notifier delivers order e-mails through mail-gateway's HTTP API. The rollout restarts it
with the platform team's new service name, mail-gateway.mail.svc.cluster.local, which has no
DNS record: every delivery fails with `socket.gaierror: [Errno -2] Name or service not known`
and the outbox backlog grows. mail-gateway itself stays up and idle.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from dataclasses import dataclass

import _support
from _service import WebService

NEW_GATEWAY_HOST = "mail-gateway.mail.svc.cluster.local"


def deliver(host: str, port: int, message: int) -> int:
    """POST one message to the gateway and return its status."""
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        body = json.dumps({"to": f"customer{message}@example.com", "template": "order_paid"})
        connection.request("POST", f"/v1/messages/{message}", body=body)
        return connection.getresponse().status
    finally:
        connection.close()


@dataclass
class GatewayAddress:
    """Where notifier sends mail; the rollout changes `host` while it runs."""

    host: str
    port: int


def run_notifier(gateway: GatewayAddress, logger: logging.Logger, stop: threading.Event) -> None:
    """Drain the outbox: one message every 15 ms; failures stay in the outbox."""
    backlog, message, current_host = 0, 880_000, ""
    while not stop.is_set():
        if gateway.host != current_host:
            current_host = gateway.host
            logger.info(
                "notifier 4.1.%s started; mail gateway %s:%s",
                0 if current_host == "localhost" else 1,
                current_host,
                gateway.port,
            )
        message += 1
        try:
            status = deliver(current_host, gateway.port, message)
            backlog = max(0, backlog - 1)
            logger.info("message %d delivered (gateway status %d)", message, status)
        except OSError:
            backlog += 1
            logger.exception("delivery of message %d failed; kept in outbox", message)
            if backlog % 25 == 0:
                logger.warning("outbox backlog is %d messages", backlog)
        time.sleep(0.015)


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    gateway_logger = _support.service_logger("mail-gateway", out / "mail-gateway.log")
    port = _support.free_port()
    gateway = WebService(
        "mail-gateway", port, gateway_logger, {"/v1/messages/": lambda path: {"queued": True}}
    ).start()
    notifier_logger = _support.service_logger("notifier", out / "notifier.log")
    target = GatewayAddress("localhost", port)
    stop = threading.Event()
    notifier = threading.Thread(target=run_notifier, args=(target, notifier_logger, stop))
    notifier.start()
    time.sleep(16)
    target.host = NEW_GATEWAY_HOST
    time.sleep(8)
    stop.set()
    notifier.join()
    gateway.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Customers stopped receiving order confirmation e-mails about 20 minutes ago. "
        "mail-gateway looks idle. What broke?",
        category="dns",
        component="notifier",
        statement=(
            "After the rollout notifier sends to mail-gateway.mail.svc.cluster.local, a name "
            "with no DNS record, so every delivery fails with Name or service not known."
        ),
        proving_lines=[
            _support.proving(out / "notifier.log", r"mail gateway mail-gateway\.mail\.svc"),
            _support.proving(
                out / "notifier.log", r"socket\.gaierror: \[Errno -2\] Name or service not known"
            ),
        ],
        decoys=["outbox backlog is"],
    )


if __name__ == "__main__":
    main()
