# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the partner API key of the payouts service was rotated at 10:04 BRT by editing
the Secret manifest; the new key was pasted already base64-encoded under `stringData`, so the
Secret holds the base64 text itself. The pods restarted by the rollout send that text as the
key and Pagora's API answers 401 invalid_api_key on every payout; the queue of pending payouts
grows. The service logs the key's prefix at start-up (`c2tf...` instead of `sk_l...`).
Decoys: a webhook signature mismatch from a retried callback, a Postgres idle-connection reset,
and a sidecar's OOM restart on another pod."""

import base64
import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

BRT = timezone(timedelta(hours=-3))
START = datetime(2026, 8, 19, 12, 15, tzinfo=UTC)  # 09:15 BRT
NOW = datetime(2026, 8, 19, 15, 0, tzinfo=UTC)
ROTATE = 49.0  # 13:04 UTC = 10:04 BRT
RESTART = 51.5
NODES = ["worker-sa-east-1a-x7k2", "worker-sa-east-1b-m4q9", "worker-sa-east-1c-t2pz"]
KEY = "sk_live_51Hb8vQk2ZtR9wXeLpN3aYdU"
ENCODED = base64.b64encode(KEY.encode()).decode()
STORED = base64.b64encode(ENCODED.encode()).decode()


def bundle() -> Bundle:
    rng = random.Random(4115)
    total = (NOW - START).total_seconds() / 60

    pay = LogFile(
        "logs/payouts.log",
        JsonLines(
            "payouts", keys=("time", "severity", "message"), lower_level=False, rng=rng, zone=BRT
        ),
    )
    pay.add(
        traffic(
            rng, worker("payouts", ["payouts.requested", "payouts.settled"]), START, total, 3000
        )
    )
    pay.add(
        [
            at(
                START,
                8.0,
                "INFO",
                f"pagora client configured base_url=https://api.pagora.com.br/v2 key_prefix={KEY[:4]} key_len={len(KEY)}",
            ),
            at(
                START,
                27.3,
                "WARN",
                "webhook /callbacks/pagora rejected: signature mismatch (x-pagora-signature t=1787145960), likely a retried delivery with stale timestamp",
            ),
            at(
                START,
                33.0,
                "WARN",
                "pq: unexpected EOF on idle connection to payouts-db.finance.svc:5432, pool replaced it",
            ),
            at(
                START, RESTART, "INFO", "shutdown requested (SIGTERM), draining 3 in-flight payouts"
            ),
            at(START, RESTART + 0.4, "INFO", "payouts 4.12.1 starting (commit 9c1e0f7)"),
            at(
                START,
                RESTART + 0.45,
                "INFO",
                f"pagora client configured base_url=https://api.pagora.com.br/v2 key_prefix={ENCODED[:4]} key_len={len(ENCODED)}",
            ),
        ]
    )
    pay.add(
        loud(
            rng,
            START,
            RESTART + 0.7,
            total - RESTART - 1,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'payout po_{r.getrandbits(48):012x} failed: POST https://api.pagora.com.br/v2/transfers -> 401 Unauthorized {{"error":"invalid_api_key","message":"The API key provided is not valid"}}; will retry'
                ),
            ),
        )
    )

    gw = LogFile(
        "logs/merchant-gateway.log",
        JsonLines(
            "merchant-gateway",
            keys=("time", "severity", "message"),
            lower_level=False,
            rng=rng,
            zone=BRT,
        ),
    )
    gw.add(
        traffic(
            rng,
            web_api("merchant-gateway", ["payouts", "balances", "statements"]),
            START,
            total,
            2600,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            RESTART + 40,
            total - RESTART - 41,
            150,
            fixed(
                "WARN",
                lambda r: (
                    f"merchant m_{r.randrange(10000, 99999)} payout status query: {r.randrange(3, 40)} payouts PENDING for more than 30m"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["merchant-gateway", "ledger-sync", "payouts"], 20, NODES, namespace="finance"
    )
    signal = [
        (
            ago(RESTART - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/payouts",
                "Scaled up replica set payouts-66d9c5b7f4 to 2",
            ),
        ),
        (
            ago(RESTART + 0.6),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/payouts",
                "Scaled down replica set payouts-7b8f4d6c59 to 0 from 2",
            ),
        ),
        (
            ago(71),
            (
                "Warning",
                "OOMKilled",
                "pod/ledger-sync-5f6c8d7b9-2mvhq",
                "Container otel-collector in pod ledger-sync-5f6c8d7b9-2mvhq was OOMKilled (limit 128Mi), restarted",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    secret = "\n".join(
        [
            "$ kubectl -n finance get secret pagora-credentials -o yaml",
            "apiVersion: v1",
            "data:",
            f"  PAGORA_API_KEY: {STORED}",
            "  PAGORA_WEBHOOK_SECRET: d2hzZWNfOWZLMnBRdjdUeDRtTDFuWg==",
            "kind: Secret",
            "metadata:",
            "  annotations:",
            "    rotated-by: jvale",
            '    rotated-at: "2026-08-19T10:04:12-03:00"',
            '  creationTimestamp: "2025-02-11T18:40:05Z"',
            "  name: pagora-credentials",
            "  namespace: finance",
            '  resourceVersion: "481902217"',
            "  uid: 0b6e2c91-5d7a-4f38-9a1c-e2f40d8b7c63",
            "type: Opaque",
            "",
            "$ kubectl -n finance get secret pagora-credentials -o jsonpath='{.data.PAGORA_API_KEY}' | base64 -d; echo",
            ENCODED,
            "",
            "$ git -C infra-finance log -1 --stat --format='%h %an %ad %s' -- secrets/pagora-credentials.yaml",
            "4e7a91c jvale Wed Aug 19 10:02:51 2026 -0300 rotate pagora key (ticket FIN-2231)",
            " secrets/pagora-credentials.yaml | 2 +-",
            "",
            "$ git -C infra-finance show 4e7a91c -- secrets/pagora-credentials.yaml | tail -4",
            " stringData:",
            "-  PAGORA_API_KEY: sk_live_4Tn7cW1pBq8sKjX2mR6eVhZo",
            f"+  PAGORA_API_KEY: {ENCODED}",
            "   PAGORA_WEBHOOK_SECRET: whsec_9fK2pQv7Tx4mL1nZ",
            "",
            "$ kubectl -n finance rollout history deploy/payouts | tail -2",
            "37        kubectl.kubernetes.io/restartedAt=2026-08-19T10:06:30-03:00 (secret rotation FIN-2231)",
            "",
        ]
    )
    return Bundle(
        question="Payouts to merchants have been stuck in PENDING since around 10:10 BRT and the payouts service logs 401s from Pagora. Pagora says their side is fine. What is the root cause?",
        category="configuration",
        component="payouts",
        statement="The 10:04 BRT key rotation put the new Pagora key into the pagora-credentials Secret already base64-encoded under stringData, so after the 10:06 restart payouts sends the base64 text (key_prefix c2tf, key_len 44) instead of the key and Pagora answers 401 invalid_api_key.",
        files={
            "logs/payouts.log": pay.render(),
            "logs/merchant-gateway.log": gw.render(),
            "kubectl-get-events.txt": events,
            "kubectl-secret.txt": secret,
        },
        proofs=[
            Proof("kubectl-secret.txt", f"+  PAGORA_API_KEY: {ENCODED}"),
            Proof("kubectl-secret.txt", f"  PAGORA_API_KEY: {STORED}"),
            Proof("logs/payouts.log", f"key_prefix={ENCODED[:4]}"),
        ],
        decoys=[
            "webhook /callbacks/pagora rejected: signature mismatch",
            "pq: unexpected EOF on idle connection",
            "was OOMKilled (limit 128Mi)",
        ],
    )
