# ruff: noqa: E501
# NVA kernel lines, app log lines and pasted CLI output are data, kept whole on one line.
"""Cloud networking, asymmetric routing through a firewall appliance: at 21:10 UTC a Terraform
apply (change CHG-20931) attached a new route to route table rt-app-subnet sending the data subnet
(10.20.8.0/24) via the hub firewall appliance nva-hub-01 (10.20.0.4). The data subnet's own route
table was not changed, so replies from the PostgreSQL VM go straight back to the app subnet. The
appliance is stateful: it sees SYN-ACK-less flows (only client-to-server halves) and drops every
later packet as INVALID. New connections from quotes-api hang and time out; the ones pooled
before 21:10 keep working until recycled. Decoys: an NVA CPU alert at 20:40, a certificate
rotation notice in quotes-api, and a PostgreSQL checkpoint warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Postgres, Syslog3164
from scenes import at, fixed, loud
from traffic import database_server, host_traffic, traffic, web_api

START = datetime(2026, 9, 30, 20, 20, tzinfo=UTC)
MINUTES = 160.0
APPLY = 50.0  # 21:10 UTC


def bundle() -> Bundle:
    rng = random.Random(62008)
    api = LogFile("quotes-api/app.log", Pino("quotes-api-6d8f9b7c4-kx2ph", rng))
    api.add(
        traffic(rng, web_api("quotes-api", ["quotes", "rates", "customers"]), START, MINUTES, 5200)
    )
    api.add(
        [
            at(
                START,
                8.0,
                "INFO",
                "tls: reloaded serving certificate from /etc/tls/quotes-api.pem (not after 2026-12-29T00:00:00Z)",
            ),
            at(
                START,
                9.0,
                "WARN",
                "tls: previous certificate serial 4f1a... still cached by 2 keep-alive clients",
            ),
        ]
    )
    api.add(
        loud(
            rng,
            START,
            APPLY + 3,
            MINUTES - APPLY - 4,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"pg pool: timeout acquiring new connection to pg-quotes-01.data.internal:5432 (10.20.8.11) after 10000ms (totalCount={r.randrange(3, 9)}, idleCount=0, waitingCount={r.randrange(10, 80)})"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            APPLY + 4,
            MINUTES - APPLY - 5,
            300,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/quotes 503 {r.randrange(10000, 10400)}ms: database unavailable"
                ),
            ),
        )
    )
    nva = LogFile("nva-hub-01/kern.log", Syslog3164("nva-hub-01", "kernel", 0))
    nva.add(host_traffic(rng, START, MINUTES, 600))
    nva.add(
        [
            at(
                START,
                20.0,
                "WARN",
                "cpu-total: value 91.2 exceeds warning threshold 85 (5m avg)",
                logger="collectd[1201]",
            ),
            at(
                START,
                22.0,
                "INFO",
                "cpu-total: value 44.0 back below warning threshold",
                logger="collectd[1201]",
            ),
        ]
    )
    nva.add(
        loud(
            rng,
            START,
            APPLY + 0.8,
            MINUTES - APPLY - 2,
            700,
            fixed(
                "WARN",
                lambda r: (
                    f"[{r.randrange(2000000, 3000000)}.{r.randrange(10**6):06d}] FW-DROP-INVALID: IN=eth0 OUT=eth0 MAC=00:0d:3a:{r.randrange(16, 99)}:{r.randrange(10, 99)}:{r.randrange(10, 99)} SRC=10.20.4.{r.randrange(10, 40)} DST=10.20.8.11 LEN=52 TOS=0x00 PREC=0x00 TTL=64 ID={r.randrange(1, 65535)} DF PROTO=TCP SPT={r.randrange(32768, 60999)} DPT=5432 WINDOW={r.randrange(400, 512)} RES=0x00 ACK URGP=0"
                ),
            ),
        )
    )
    pg = LogFile("pg-quotes-01/postgresql.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 1600))
    pg.add([at(START, 96.0, "WARN", "checkpoints are occurring too frequently (24 seconds apart)")])
    cli = "\n".join(
        [
            "$ az network route-table route list -g rg-net-prod --route-table-name rt-app-subnet -o table",
            "AddressPrefix    HasBgpOverride    Name               NextHopIpAddress    NextHopType       ProvisioningState    ResourceGroup",
            "---------------  ----------------  -----------------  ------------------  ----------------  -------------------  ---------------",
            "0.0.0.0/0        False             default-via-hub    10.20.0.4           VirtualAppliance  Succeeded            rg-net-prod",
            "10.20.8.0/24     False             data-via-nva       10.20.0.4           VirtualAppliance  Succeeded            rg-net-prod",
            "",
            "$ az network route-table route list -g rg-net-prod --route-table-name rt-data-subnet -o table",
            "AddressPrefix    HasBgpOverride    Name               NextHopIpAddress    NextHopType       ProvisioningState    ResourceGroup",
            "---------------  ----------------  -----------------  ------------------  ----------------  -------------------  ---------------",
            "0.0.0.0/0        False             default-via-hub    10.20.0.4           VirtualAppliance  Succeeded            rg-net-prod",
            "",
            "$ az network watcher show-next-hop -g rg-data --vm pg-quotes-01 --source-ip 10.20.8.11 --dest-ip 10.20.4.22",
            '{ "nextHopIpAddress": null, "nextHopType": "VnetLocal", "routeTableId": "System Route" }',
            "",
            '$ az monitor activity-log list --resource-group rg-net-prod --offset 6h --query "[].{time:eventTimestamp, op:operationName.value, caller:caller}" -o table',
            "Time                          Op                                                   Caller",
            "----------------------------  ---------------------------------------------------  ---------------------------",
            "2026-09-30T21:09:47.118022Z   Microsoft.Network/routeTables/routes/write            sp-terraform-net-prod",
            "2026-09-30T20:12:03.551210Z   Microsoft.Network/networkSecurityGroups/read          monitoring-reader",
            "",
        ]
    )
    return Bundle(
        question="Since shortly after 21:10 UTC quotes-api returns 503s and cannot open new database connections to pg-quotes-01; the database looks healthy. What is the root cause?",
        category="network",
        component="rt-app-subnet",
        statement="A Terraform apply at 21:10 UTC added route data-via-nva to rt-app-subnet, sending traffic for the data subnet 10.20.8.0/24 through the stateful appliance nva-hub-01 while replies from pg-quotes-01 return directly (VnetLocal); the appliance drops the one-sided flows as INVALID, so quotes-api's new connections time out.",
        files={
            "az-cli.txt": cli,
            "quotes-api/app.log": api.render(),
            "nva-hub-01/kern.log": nva.render(),
            "pg-quotes-01/postgresql.log": pg.render(),
        },
        proofs=[
            Proof("az-cli.txt", "10.20.8.0/24     False             data-via-nva"),
            Proof("az-cli.txt", '"nextHopType": "VnetLocal"'),
            Proof("az-cli.txt", "Microsoft.Network/routeTables/routes/write"),
        ],
        decoys=[
            "exceeds warning threshold 85",
            "still cached by 2 keep-alive clients",
            "checkpoints are occurring too frequently",
        ],
    )
