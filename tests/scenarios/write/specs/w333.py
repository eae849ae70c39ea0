# ruff: noqa: E501
# Hand-written keepalived, ansible and application lines and pasted shell output are data, kept whole on one line.
"""Load balancer, a VRRP split-brain: lb-a (priority 150) and lb-b (100) share the VIP 10.70.0.10
with keepalived. At 09:31 CST (+08:00) an Ansible hardening run loads a new nftables ruleset on
lb-b with `policy drop` on input and no rule for VRRP (IP protocol 112). lb-b stops hearing
lb-a's adverts, declares itself MASTER and claims the VIP too; both send gratuitous ARPs and the
VIP's MAC flips between them, so clients get resets and timeouts on a fraction of connections.
Loud: client resets, lb-a's "forcing new election". Decoys: a certificate expiry notice, a short
backend DOWN on lb-a, rx_missed counters on lb-a's NIC."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Log4j, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api

CST = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 5, 19, 8, 10, tzinfo=CST)
MINUTES = 150.0
PUSH = 81.0


def bundle() -> Bundle:
    rng = random.Random(33307)
    lbb = LogFile("logs/lb-b-messages", Syslog3164("lb-b", "Keepalived_vrrp", 1311))
    lbb.add(host_traffic(rng, START, MINUTES, 600))
    lbb.add(
        [
            at(
                START,
                PUSH - 0.4,
                "INFO",
                "ansible-ansible.builtin.template Invoked with src=nftables.conf.j2 dest=/etc/nftables.conf owner=root mode=0600 backup=True",
                logger="python3[88412]",
            ),
            at(
                START,
                PUSH - 0.2,
                "INFO",
                "ansible-ansible.legacy.command Invoked with _raw_params=nft -f /etc/nftables.conf _uses_shell=False chdir=None",
                logger="python3[88430]",
            ),
            at(START, PUSH + 0.05, "INFO", "(VI_1) Receive advertisement timeout"),
            at(START, PUSH + 0.06, "INFO", "(VI_1) Entering MASTER STATE"),
            at(START, PUSH + 0.07, "INFO", "(VI_1) setting VIPs."),
            at(
                START,
                PUSH + 0.08,
                "INFO",
                "(VI_1) Sending/queueing gratuitous ARPs on ens192 for 10.70.0.10",
            ),
            at(START, PUSH + 0.09, "INFO", "Sending gratuitous ARP on ens192 for 10.70.0.10"),
            at(START, PUSH + 0.3, "INFO", "Script `chk_haproxy` now returning 0"),
        ]
    )
    lba = LogFile("logs/lb-a-messages", Syslog3164("lb-a", "Keepalived_vrrp", 1207))
    lba.add(host_traffic(rng, START, MINUTES, 600))
    lba.add(
        loud(
            rng,
            START,
            PUSH + 0.1,
            MINUTES - PUSH - 1,
            260,
            fixed(
                "INFO",
                lambda r: (
                    "(VI_1) Received advert from 10.70.0.3 with lower priority 100, ours 150, forcing new election"
                ),
            ),
        )
    )
    lba.add(
        loud(
            rng,
            START,
            PUSH + 0.1,
            MINUTES - PUSH - 1,
            250,
            fixed(
                "INFO", lambda r: "(VI_1) Sending/queueing gratuitous ARPs on ens192 for 10.70.0.10"
            ),
        )
    )
    lba.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "Server be_orders/app-07 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 5 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                logger="haproxy[2202]",
            ),
            at(
                START,
                30.6,
                "INFO",
                "Server be_orders/app-07 is UP, reason: Layer7 check passed, code: 200, check duration: 3ms. 6 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                logger="haproxy[2202]",
            ),
            at(
                START,
                12.0,
                "WARN",
                "certwatch: /etc/haproxy/certs/orders.pem expires in 21 days (2026-06-09)",
                logger="certwatch[5120]",
            ),
        ]
    )
    client = LogFile(
        "logs/order-gateway.log",
        Log4j(
            ("c.t.gw.OrdersProxy", "c.t.gw.http.Upstream", "c.t.gw.Metrics"),
            "http-nio-8443-exec",
            rng,
        ),
    )
    client.add(
        traffic(rng, web_api("order-gateway", ["orders", "quotes", "stock"]), START, MINUTES, 3800)
    )
    client.add(
        loud(
            rng,
            START,
            PUSH + 0.3,
            MINUTES - PUSH - 1,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"upstream call to https://orders.vip.internal/v2/{r.choice(['orders', 'quotes', 'stock'])} failed: java.net.SocketException: Connection reset (remote 10.70.0.10:443, attempt 1/2)"
                ),
            ),
        )
    )
    client.add(
        loud(
            rng,
            START,
            PUSH + 0.3,
            MINUTES - PUSH - 1,
            300,
            fixed(
                "ERROR",
                lambda r: (
                    "upstream call to https://orders.vip.internal/v2/orders failed: java.net.SocketTimeoutException: Connect timed out (remote 10.70.0.10:443, attempt 2/2), returning 502"
                ),
            ),
        )
    )
    shell = "\n".join(
        [
            "[root@lb-a ~]# ip -br addr show ens192",
            "ens192           UP             10.70.0.2/24 10.70.0.10/32",
            "[root@lb-b ~]# ip -br addr show ens192",
            "ens192           UP             10.70.0.3/24 10.70.0.10/32",
            "[root@app-03 ~]# arping -c 4 -I eth0 10.70.0.10",
            "ARPING 10.70.0.10 from 10.70.0.33 eth0",
            "Unicast reply from 10.70.0.10 [00:50:56:9A:1C:04]  0.612ms",
            "Unicast reply from 10.70.0.10 [00:50:56:9A:44:B7]  0.701ms",
            "Unicast reply from 10.70.0.10 [00:50:56:9A:1C:04]  0.588ms",
            "Unicast reply from 10.70.0.10 [00:50:56:9A:44:B7]  0.640ms",
            "Sent 4 probes (1 broadcast(s))",
            "Received 4 response(s)",
            "[root@lb-b ~]# nft list chain inet filter input",
            "table inet filter {",
            "\tchain input {",
            "\t\ttype filter hook input priority filter; policy drop;",
            "\t\tct state established,related accept",
            '\t\tiifname "lo" accept',
            "\t\ttcp dport { 22, 80, 443, 8404 } accept",
            "\t\ticmp type echo-request accept",
            "\t\tcounter packets 418220 bytes 25093200 drop",
            "\t}",
            "}",
            "[root@lb-a ~]# ethtool -S ens192 | grep -i missed",
            "     rx_missed_errors: 214",
            "",
        ]
    )
    notes = "\n".join(
        [
            "P2 09:55 CST — order-gateway sees connection resets / connect timeouts to orders.vip.internal (10.70.0.10) since ~09:31, roughly 1 in 5 calls.",
            "- CIS hardening playbook rolled to the lb-b canary at 09:30 (CHG-4471); lb-a scheduled tomorrow.",
            "- lb-a had app-07 flap at 08:40, back in 40 s.",
            "- lb-a NIC shows a few rx_missed_errors (known, since the VM migration).",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:31 CST roughly one in five calls from order-gateway to orders.vip.internal gets a connection reset or connect timeout. What is the root cause?",
        category="network",
        component="lb-b",
        statement="The 09:31 CST hardening run loaded an nftables ruleset on lb-b with input policy drop and no VRRP rule, so lb-b stopped receiving lb-a's adverts, became MASTER and also claimed VIP 10.70.0.10; with both balancers answering ARP for the VIP, clients' connections flip between them and are reset or time out.",
        files={
            "notes.md": notes,
            "lb-shell.txt": shell,
            "logs/lb-a-messages": lba.render(),
            "logs/lb-b-messages": lbb.render(),
            "logs/order-gateway.log": client.render(),
        },
        proofs=[
            Proof("logs/lb-b-messages", "nft -f /etc/nftables.conf"),
            Proof(
                "logs/lb-b-messages",
                "(VI_1) Receive advertisement timeout",
                "(VI_1) Entering MASTER STATE",
            ),
            Proof(
                "lb-shell.txt",
                "type filter hook input priority filter; policy drop;",
                "tcp dport { 22, 80, 443, 8404 } accept",
            ),
            Proof("lb-shell.txt", "10.70.0.3/24 10.70.0.10/32"),
        ],
        decoys=[
            "orders.pem expires in 21 days",
            "be_orders/app-07 is DOWN",
            "rx_missed_errors: 214",
        ],
    )
