# ruff: noqa: E501
# kubectl output, CoreDNS query lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the cluster's CoreDNS ConfigMap has a stub domain for `corp.internal`
forwarding to the corporate resolvers 10.20.0.53 and 10.20.0.54. The network team moved the
corporate DNS to 10.20.8.10/10.20.8.11 and retired the old pair at 01:00 UTC (09:00 in
Singapore); nobody updated the ConfigMap. Cluster names still resolve, but every
`*.corp.internal` lookup now times out upstream and CoreDNS answers SERVFAIL: identity-gateway
cannot reach ldap.corp.internal, logins fail, the intranet portal shows 502s. Loud: the
gateway's LDAP errors and the portal's 502s. Decoys: ordinary NXDOMAIN answers from search-path
expansion, an LDAPS certificate expiry warning, and the directory team's maintenance note."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import KubectlTimestamps, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import Line, traffic, web_api

START = datetime(2025, 11, 4, 0, 20, tzinfo=UTC)
NOW = datetime(2025, 11, 4, 2, 10, tzinfo=UTC)
RETIRED = 40.0  # 01:00
COREDNS_IP = "10.244.0.17"


def _client(rng: random.Random) -> str:
    return f"10.244.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(32768, 61000)} - {rng.randrange(1, 65535)}"


def queries(rng: random.Random) -> Line:
    """CoreDNS `log` plugin lines for ordinary cluster lookups."""
    roll = rng.random()
    service = rng.choice(
        [
            "orders.shop",
            "identity-gateway.auth",
            "redis-master.cache",
            "portal.intranet",
            "kafka-0.kafka-headless.streaming",
            "postgres-rw.db",
        ]
    )
    qtype = rng.choice(["A", "A", "AAAA"])
    if roll < 0.62:
        return (
            "INFO",
            f'[INFO] {_client(rng)} "{qtype} IN {service}.svc.cluster.local. udp {rng.randrange(50, 80)} false 512" NOERROR qr,aa,rd {rng.randrange(90, 200)} 0.000{rng.randrange(80, 400)}s',
            (),
        )
    if roll < 0.9:
        suffix = rng.choice(["svc.cluster.local", "cluster.local", "eu.compute.internal"])
        name = rng.choice(
            [
                "api.stripe.com",
                "sqs.ap-southeast-1.amazonaws.com",
                "o123456.ingest.sentry.io",
                "registry-1.docker.io",
            ]
        )
        return (
            "INFO",
            f'[INFO] {_client(rng)} "{qtype} IN {name}.{suffix}. udp {rng.randrange(60, 90)} false 512" NXDOMAIN qr,aa,rd {rng.randrange(140, 180)} 0.000{rng.randrange(60, 300)}s',
            (),
        )
    name = rng.choice(
        ["api.stripe.com", "sqs.ap-southeast-1.amazonaws.com", "o123456.ingest.sentry.io"]
    )
    return (
        "INFO",
        f'[INFO] {_client(rng)} "{qtype} IN {name}. udp {rng.randrange(40, 60)} false 512" NOERROR qr,rd,ra {rng.randrange(80, 300)} 0.00{rng.randrange(1, 9)}{rng.randrange(100, 999)}s',
        (),
    )


def corp_timeout(rng: random.Random) -> Line:
    name = rng.choice(
        [
            "ldap.corp.internal",
            "ldap.corp.internal",
            "vault.corp.internal",
            "smtp-relay.corp.internal",
        ]
    )
    upstream = rng.choice(["10.20.0.53", "10.20.0.54"])
    return (
        "ERROR",
        f"[ERROR] plugin/errors: 2 {name}. {rng.choice(['A', 'AAAA'])}: read udp {COREDNS_IP}:{rng.randrange(32768, 61000)}->{upstream}:53: i/o timeout",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1199)
    total = (NOW - START).total_seconds() / 60
    coredns = LogFile("kubectl-logs-w7k4p.txt", KubectlTimestamps())
    coredns.add(
        [
            at(START, 0.01, "INFO", ".:53"),
            at(START, 0.02, "INFO", "corp.internal.:53"),
            at(
                START,
                0.03,
                "INFO",
                "[INFO] plugin/reload: Running configuration SHA512 = 3b1f0c9e7a44d21c58b6e0fa9d3c7e12b8a5f6d4c2e19a07b3d8f5c6e1a2b4d9c0f7e3a6b5d8c1f2e4a7b9c0d3e6f1a2b5c8d7e0f3a4b6c9d2e5f8a1b4c7d0e3",
            ),
            at(START, 0.04, "INFO", "CoreDNS-1.11.1"),
            at(START, 0.05, "INFO", "linux/amd64, go1.20.7, ae2bbc2"),
        ]
    )
    coredns.add(traffic(rng, queries, START, total, 4600))
    coredns.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'[INFO] {_client(r)} "A IN ldap.corp.internal. udp {r.randrange(45, 60)} false 512" NOERROR qr,rd,ra {r.randrange(60, 90)} 0.00{r.randrange(1, 4)}{r.randrange(100, 999)}s',
                (),
            ),
            START,
            RETIRED,
            160,
        )
    )
    coredns.add(
        [
            at(
                START,
                RETIRED + 0.2,
                "ERROR",
                f"[ERROR] plugin/errors: 2 ldap.corp.internal. A: read udp {COREDNS_IP}:48213->10.20.0.53:53: i/o timeout",
            )
        ]
    )
    coredns.add(loud(rng, START, RETIRED + 0.4, total - RETIRED - 0.5, 620, corp_timeout))
    coredns.add(
        loud(
            rng,
            START,
            RETIRED + 0.3,
            total - RETIRED - 0.5,
            300,
            lambda r: (
                "INFO",
                f'[INFO] {_client(r)} "A IN ldap.corp.internal. udp {r.randrange(45, 60)} false 512" SERVFAIL qr,rd {r.randrange(40, 60)} 2.00{r.randrange(1, 9)}{r.randrange(100, 999)}s',
                (),
            ),
        )
    )
    gateway = LogFile(
        "logs/identity-gateway.log",
        PythonLogging(
            ("identity.api", "identity.ldap_backend", "identity.sessions", "uvicorn.access"),
            rng=rng,
        ),
    )
    gateway.add(
        traffic(
            rng, web_api("identity-gateway", ["sessions", "tokens", "users"]), START, total, 2900
        )
    )
    trace = python_traceback(
        [
            (
                "/app/identity/ldap_backend.py",
                74,
                "bind",
                "conn = ldap3.Connection(self.server, user=dn, password=password, auto_bind=True)",
            ),
            (
                "/usr/local/lib/python3.12/site-packages/ldap3/core/connection.py",
                363,
                "__init__",
                "self._do_auto_bind()",
            ),
            (
                "/usr/local/lib/python3.12/site-packages/ldap3/strategy/base.py",
                146,
                "open",
                "raise LDAPSocketOpenError('unable to open socket', exception_history)",
            ),
        ],
        "ldap3.core.exceptions.LDAPSocketOpenError: ('unable to open socket', [(LDAPSocketOpenError('socket connection error while opening: [Errno -3] Temporary failure in name resolution'), ('ldaps://ldap.corp.internal:636',))])",
    )
    gateway.add(
        loud(
            rng,
            START,
            RETIRED + 0.5,
            total - RETIRED - 1,
            540,
            fixed(
                "ERROR",
                lambda r: (
                    f"login failed for user {r.choice(['a.tan', 'm.lim', 'j.wong', 'k.nair', 'r.chen', 's.goh'])}{r.randrange(100)}: directory unavailable"
                ),
                lambda r: trace if r.random() < 0.25 else (),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            RETIRED + 1,
            total - RETIRED - 1.5,
            400,
            fixed(
                "WARN",
                lambda r: (
                    f'10.244.{r.randrange(1, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - "POST /api/v1/sessions HTTP/1.1" 503'
                ),
            ),
        )
    )
    gateway.add(
        [
            at(
                START,
                14.5,
                "WARN",
                "LDAPS server certificate for ldap.corp.internal expires in 12 days (notAfter=Nov 16 03:59:59 2025 GMT)",
                logger="identity.ldap_backend",
            ),
        ]
    )
    configmap = "\n".join(
        [
            "$ kubectl -n kube-system get configmap coredns -o yaml",
            "apiVersion: v1",
            "data:",
            "  Corefile: |",
            "    .:53 {",
            "        errors",
            "        health {",
            "           lameduck 5s",
            "        }",
            "        ready",
            "        log",
            "        kubernetes cluster.local in-addr.arpa ip6.arpa {",
            "           pods insecure",
            "           fallthrough in-addr.arpa ip6.arpa",
            "           ttl 30",
            "        }",
            "        prometheus :9153",
            "        forward . /etc/resolv.conf {",
            "           max_concurrent 1000",
            "        }",
            "        cache 30",
            "        loop",
            "        reload",
            "        loadbalance",
            "    }",
            "    corp.internal:53 {",
            "        errors",
            "        log",
            "        cache 60",
            "        forward . 10.20.0.53 10.20.0.54",
            "    }",
            "kind: ConfigMap",
            "metadata:",
            '  creationTimestamp: "2023-02-09T06:12:44Z"',
            "  name: coredns",
            "  namespace: kube-system",
            '  resourceVersion: "88214093"',
            "  uid: 51f7a2c3-9d0e-4b86-8c1a-e3f47d29b605",
            "",
            "$ kubectl -n kube-system get pods -l k8s-app=kube-dns",
            "NAME                       READY   STATUS    RESTARTS   AGE",
            "coredns-5d78c9869d-w7k4p   1/1     Running   0          41d",
            "coredns-5d78c9869d-xq2vm   1/1     Running   0          41d",
            "",
        ]
    )
    notes = "\n".join(
        [
            "handover from night shift (SGT)",
            "",
            "* ~09:00 SGT intranet logins broken, portal 502, identity-gateway full of 'directory unavailable'.",
            "* directory team had a change window last night 02:00-03:00 SGT on the LDAP replicas (schema update), they say the replicas are healthy and answer binds from the office LAN.",
            "* identity-gateway pods not restarted, no deploy since Friday.",
            "",
            "pasted from #netops announcements, Mon 3 Nov:",
            "> Reminder: corporate resolvers move to 10.20.8.10 / 10.20.8.11 (anycast). The legacy DNS servers 10.20.0.53 and 10.20.0.54 will be shut down Tue 4 Nov 09:00 SGT. Please update any static resolver config.",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:00 Singapore time (01:00 UTC) nobody can log in to the intranet; identity-gateway says the directory is unavailable. What is the root cause?",
        category="dns",
        component="coredns",
        statement="The coredns ConfigMap still forwards the corp.internal stub domain to 10.20.0.53/10.20.0.54, the legacy resolvers shut down at 01:00 UTC; since then every *.corp.internal lookup times out upstream and returns SERVFAIL, so identity-gateway cannot resolve ldap.corp.internal and logins fail.",
        files={
            "notes.md": notes,
            "kubectl-kube-system.txt": configmap,
            "kubectl-logs-w7k4p.txt": coredns.render(),
            "logs/identity-gateway.log": gateway.render(),
        },
        proofs=[
            Proof("kubectl-kube-system.txt", "forward . 10.20.0.53 10.20.0.54"),
            Proof(
                "kubectl-logs-w7k4p.txt", f"read udp {COREDNS_IP}:48213->10.20.0.53:53: i/o timeout"
            ),
            Proof("notes.md", "The legacy DNS servers 10.20.0.53 and 10.20.0.54 will be shut down"),
        ],
        decoys=[
            "NXDOMAIN qr,aa,rd",
            "LDAPS server certificate for ldap.corp.internal expires in 12 days",
            "change window last night 02:00-03:00 SGT on the LDAP replicas",
        ],
    )
