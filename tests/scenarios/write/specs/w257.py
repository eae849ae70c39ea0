# ruff: noqa: E501
# Hand-written Vault lines, a pasted Terraform plan and notes are data, kept whole on one line.
"""Vault, auto-unseal denied by KMS: on 13 October at 17:52 UTC a Terraform "least privilege"
refactor replaced the `vault-server` IAM role's inline policy and left out `kms:Decrypt` on the
unseal key. Nothing broke until the monthly OS patching rebooted vault-1..3 from 02:00 UTC on
14 October: none can decrypt its stored unseal keys, all stay sealed, and every service that
reads secrets at start-up or renews a lease gets `Vault is sealed` (503). Loud: the services'
secret errors and crash loops. Decoys: raft heartbeat timeouts during the reboots, TLS handshake
EOFs from the load balancer's TCP checks, and one service's expired-token 403."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 10, 14, 1, 20, tzinfo=UTC)
MINUTES = 170.0
REBOOT = 41.0
DENIED = "AccessDeniedException: User: arn:aws:sts::418277301265:assumed-role/vault-server/{instance} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-central-1:418277301265:key/6f1d2c0e-93b4-4a8e-b7f5-2d61c9a0e4b3 because no identity-based policy allows the kms:Decrypt action"


@dataclass
class HcLog:
    """Vault's hclog: `2025-10-14T02:03:11.482Z [INFO]  core: message: key=value`."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "[INFO] ", "WARN": "[WARN] ", "ERROR": "[ERROR]", "DEBUG": "[DEBUG]"}[
            record.level
        ]
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"{stamp} {level} {record.message}"]


def ordinary(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"expiration: revoked lease: lease_id=database/creds/{rng.choice(['checkout', 'orders', 'billing'])}-rw/{rng.getrandbits(96):024x}",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            f"storage.raft: compacting logs: from={rng.randrange(10**6)} to={rng.randrange(10**6, 2 * 10**6)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'core: successful mount: namespace="" path=pki_int/ type=pki version="v1.17.{rng.randrange(3, 6)}+builtin.vault"'
            if rng.random() < 0.05
            else f"secrets.database.database_{rng.getrandbits(16):04x}: created credential: role={rng.choice(['checkout', 'orders', 'billing'])}-rw ttl=1h",
            (),
        )
    return (
        "INFO",
        f"http: TLS handshake error from 10.90.0.{rng.randrange(4, 9)}:{rng.randrange(30000, 60000)}: EOF",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(25711)
    vault = LogFile("logs/vault-1.log", HcLog())
    vault.add(traffic(rng, ordinary, START, REBOOT - 0.5, 700))
    vault.add(
        loud(
            rng,
            START,
            REBOOT + 2,
            MINUTES - REBOOT - 3,
            160,
            fixed(
                "INFO",
                lambda r: (
                    f"http: TLS handshake error from 10.90.0.{r.randrange(4, 9)}:{r.randrange(30000, 60000)}: EOF"
                ),
            ),
        )
    )
    vault.add(
        [
            at(START, REBOOT - 0.4, "INFO", "core: stopping cluster listeners"),
            at(START, REBOOT - 0.38, "INFO", "storage.raft: raft: shutting down"),
            at(
                START,
                REBOOT + 1.5,
                "INFO",
                'proxy environment: http_proxy="" https_proxy="" no_proxy=""',
            ),
            at(START, REBOOT + 1.52, "INFO", "core: Initializing version history cache for core"),
            at(
                START, REBOOT + 1.53, "INFO", "core: stored unseal keys supported, attempting fetch"
            ),
            at(
                START,
                REBOOT + 1.6,
                "WARN",
                'failed to unseal core: error="fetching stored unseal keys failed: failed to decrypt encrypted stored keys: error decrypting data encryption key: '
                + DENIED.format(instance="i-0c41a7be29d3f5e18")
                + '"',
            ),
            at(
                START,
                27.0,
                "WARN",
                "storage.raft: heartbeat timeout reached, starting election: last-leader-addr=10.90.1.12:8201 last-leader-id=vault-2",
            ),
            at(
                START,
                27.1,
                "INFO",
                'storage.raft: entering candidate state: node="Node at 10.90.1.11:8201 [Candidate]" term=412',
            ),
            at(START, 27.2, "INFO", "storage.raft: election won: term=412 tally=2"),
        ]
    )
    for k in range(1, 60):
        vault.add(
            [
                at(
                    START,
                    REBOOT + 1.6 + k * 2.1,
                    "INFO",
                    "core: stored unseal keys supported, attempting fetch",
                ),
                at(
                    START,
                    REBOOT + 1.62 + k * 2.1,
                    "WARN",
                    f'failed to unseal core: error="fetching stored unseal keys failed: failed to decrypt encrypted stored keys: error decrypting data encryption key: AccessDeniedException: kms:Decrypt denied (attempt {k + 1})"',
                ),
            ]
        )

    svc = LogFile(
        "logs/checkout-api.log",
        JsonLines("checkout-api", keys=("time", "level", "message"), rng=rng),
    )
    svc.add(
        traffic(
            rng, web_api("checkout-api", ["checkouts", "payments", "carts"]), START, MINUTES, 3000
        )
    )
    svc.add(
        loud(
            rng,
            START,
            REBOOT + 8,
            MINUTES - REBOOT - 9,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f"vault: renew lease database/creds/checkout-rw/{r.getrandbits(96):024x} failed: Error making API request. URL: PUT https://vault.internal:8200/v1/sys/leases/renew Code: 503. Errors: * Vault is sealed"
                ),
            ),
        )
    )
    svc.add(
        loud(
            rng,
            START,
            REBOOT + 50,
            MINUTES - REBOOT - 51,
            500,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /api/v1/checkouts 500: pq: password authentication failed for user "v-checkout-rw-{r.getrandbits(40):010x}" (credentials expired, renewal failing)'
                ),
            ),
        )
    )
    svc.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "vault: GET https://vault.internal:8200/v1/secret/data/legacy/feature-flags Code: 403. Errors: * permission denied (token for role legacy-flags expired, falling back to defaults)",
            )
        ]
    )

    plan = "\n".join(
        [
            "$ terraform -chdir=infra/security show -no-color tfplan-20251013-1748 | sed -n '/vault-server/,/^$/p'",
            "  # aws_iam_role_policy.vault_server will be updated in-place",
            '  ~ resource "aws_iam_role_policy" "vault_server" {',
            '        id     = "vault-server:vault-server-inline"',
            '        name   = "vault-server-inline"',
            "      ~ policy = jsonencode(",
            "          ~ {",
            "              ~ Statement = [",
            "                  ~ {",
            "                      ~ Action   = [",
            '                          - "kms:Decrypt",',
            '                            "kms:DescribeKey",',
            '                            "kms:Encrypt",',
            "                        ]",
            '                        Effect   = "Allow"',
            '                        Resource = "arn:aws:kms:eu-central-1:418277301265:key/6f1d2c0e-93b4-4a8e-b7f5-2d61c9a0e4b3"',
            '                        Sid      = "VaultAutoUnseal"',
            "                    },",
            "                ]",
            "            }",
            "        )",
            '        role   = "vault-server"',
            "    }",
            "",
            "Plan: 0 to add, 1 to change, 0 to destroy.",
            '# applied 2025-10-13 17:52 UTC by pipeline infra-security #2291 ("IAM least-privilege refactor, SEC-118")',
            "",
        ]
    )
    notes = "\n".join(
        [
            "P1 03:40 UTC: checkout failing, many services crash-looping on secrets.",
            "",
            "- Monthly OS patching window 02:00-03:00 UTC, vault-1..3 rebooted 02:01-02:09 (and ~80 other hosts).",
            "- `vault status` on all three: Sealed true, Seal Type awskms.",
            "- raft on vault-1 had a leader election at 01:47, before the patch window.",
            "- legacy-flags token expired last week, known, defaults are fine.",
            "",
        ]
    )
    return Bundle(
        question="After tonight's patch window checkout and other services fail with Vault errors and 500s. What is the root cause?",
        category="permission",
        component="vault-server",
        statement="A Terraform change on 13 October at 17:52 UTC removed kms:Decrypt from the vault-server IAM role's policy; when the patch window rebooted the Vault nodes from 02:01 UTC they could not decrypt their stored unseal keys through KMS and stay sealed, so secret reads and lease renewals fail with 503 and checkout's database credentials expire.",
        files={
            "notes.md": notes,
            "terraform-plan.txt": plan,
            "logs/vault-1.log": vault.render(),
            "logs/checkout-api.log": svc.render(),
        },
        proofs=[
            Proof("terraform-plan.txt", '- "kms:Decrypt",'),
            Proof("logs/vault-1.log", "is not authorized to perform: kms:Decrypt"),
        ],
        decoys=[
            "heartbeat timeout reached, starting election",
            "TLS handshake error from",
            "token for role legacy-flags expired",
        ],
    )
