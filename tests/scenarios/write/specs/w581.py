# ruff: noqa: E501
# Load balancer request log entries, nginx lines, audit entries and pasted gcloud output are data.
"""Cloud networking, health-check ranges no longer allowed: a "remove unused firewall rules"
Terraform change applied at 02:31 UTC (11:31 JST) deleted `shop-prod-allow-gclb-hc`, the rule
on the shop-prod-vpc network that admits Google's health-check ranges 35.191.0.0/16 and
130.211.0.0/22 on port 8080. The probes stop reaching the web instances, every backend turns
UNHEALTHY within half a minute, and the external HTTPS load balancer answers 502
failed_to_pick_backend for the whole storefront. The instances themselves are fine. Decoys: an
autoscaler recreating one instance earlier, a Cloud Armor preview match, and a slow upstream
warning from the catalog API."""

import json
import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Record
from scenes import at
from traffic import http_access, traffic

START = datetime(2026, 10, 6, 1, 20, tzinfo=UTC)  # 10:20 JST
MINUTES = 110.0
DELETE = 71.0  # 02:31:xx UTC
PROJECT = "acme-shop-prod"


class LbLog:
    """Cloud Logging `http_load_balancer` entries, one JSON object per line."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        status, path, details, latency = record.message.split("|")
        rng = self.rng
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        entry = {
            "insertId": f"{rng.getrandbits(40):x}",
            "jsonPayload": {
                "@type": "type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry",
                "statusDetails": details,
                "backendTargetProjectNumber": "projects/418822091735",
                "remoteIp": f"{rng.choice([126, 153, 180, 219])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            },
            "httpRequest": {
                "requestMethod": "GET" if "cart" not in path else "POST",
                "requestUrl": f"https://shop.kinokawa.example{path}",
                "status": int(status),
                "latency": latency,
                "userAgent": rng.choice(
                    [
                        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                        "KinokawaApp/7.3 (Android 15)",
                    ]
                ),
            },
            "resource": {
                "type": "http_load_balancer",
                "labels": {
                    "project_id": PROJECT,
                    "forwarding_rule_name": "shop-https-fr",
                    "url_map_name": "shop-url-map",
                    "target_proxy_name": "shop-https-proxy",
                    "backend_service_name": ""
                    if details == "failed_to_pick_backend"
                    else "shop-web-backend",
                    "zone": "global",
                },
            },
            "timestamp": stamp,
            "severity": "WARNING" if int(status) >= 500 else "INFO",
            "logName": f"projects/{PROJECT}/logs/requests",
        }
        return [json.dumps(entry, separators=(",", ":"))]


def ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(["/", "/items/{}", "/search?q=tea", "/cart", "/api/v2/stock/{}"]).format(
        rng.randrange(10**5)
    )
    status = rng.choices([200, 200, 304, 404], [70, 10, 15, 5])[0]
    return "INFO", f"{status}|{path}|response_sent_by_backend|{rng.uniform(0.01, 0.4):.6f}s", ()


def bundle() -> Bundle:
    rng = random.Random(58109)
    cut = START + timedelta(minutes=DELETE + 0.5)
    lb = LogFile("https-lb-requests.jsonl", LbLog(rng))
    lb.add([r for r in traffic(rng, ok, START, MINUTES, 4200) if r.time < cut])
    lb.add(
        traffic(
            rng,
            lambda r: (
                "WARN",
                f"502|{r.choice(['/', '/items/' + str(r.randrange(10**5)), '/cart', '/api/v2/stock/' + str(r.randrange(10**5))])}|failed_to_pick_backend|{r.uniform(0.0005, 0.003):.6f}s",
                (),
            ),
            cut,
            MINUTES - DELETE - 0.5,
            2600,
        )
    )
    lb.add([at(START, 22.0, "WARN", "502|/api/v2/stock/55120|backend_timeout|30.001212s")])
    web = LogFile("shop-web-7k2q/nginx-access.log", NginxAccess(rng))
    web.add(
        [
            r
            for r in traffic(
                rng,
                http_access(["/", "/items/{id}", "/search?q=tea", "/api/v2/stock/{id}"], 60),
                START,
                MINUTES,
                2600,
            )
            if r.time < cut
        ]
    )
    hc_sources = ["35.191.14.{}", "35.191.9.{}", "130.211.2.{}", "130.211.0.{}"]
    for record in traffic(
        rng,
        lambda r: ("INFO", '"GET /healthz HTTP/1.1" 200 2 "-" "GoogleHC/1.0" 0.001', ()),
        START,
        DELETE + 0.1,
        1700,
    ):
        web.add([record])
    web_text = web.render().splitlines()
    fixed_lines = []
    for line in web_text:
        if "GoogleHC/1.0" in line:
            line = (
                rng.choice(hc_sources).format(rng.randrange(2, 250)) + line[line.index(" - - [") :]
            )
        fixed_lines.append(line)
    audit = "\n".join(
        [
            f"$ gcloud logging read 'protoPayload.serviceName=\"compute.googleapis.com\" AND protoPayload.methodName:\"firewalls\"' --project={PROJECT} --freshness=6h --format='table(timestamp, protoPayload.methodName, protoPayload.resourceName, protoPayload.authenticationInfo.principalEmail)'",
            "TIMESTAMP                       METHOD_NAME                  RESOURCE_NAME                                                     PRINCIPAL_EMAIL",
            "2026-10-06T02:31:12.448102Z     v1.compute.firewalls.delete  projects/acme-shop-prod/global/firewalls/shop-prod-allow-gclb-hc  terraform-ci@acme-shop-prod.iam.gserviceaccount.com",
            "2026-10-06T02:31:10.902711Z     v1.compute.firewalls.delete  projects/acme-shop-prod/global/firewalls/shop-prod-allow-legacy-vpn  terraform-ci@acme-shop-prod.iam.gserviceaccount.com",
            "2026-10-06T02:31:09.117305Z     v1.compute.firewalls.delete  projects/acme-shop-prod/global/firewalls/shop-prod-allow-bastion-old  terraform-ci@acme-shop-prod.iam.gserviceaccount.com",
            "2026-10-05T23:58:41.551930Z     v1.compute.firewalls.patch   projects/acme-shop-prod/global/firewalls/shop-prod-armor-preview  secops-oncall@kinokawa.example",
            "",
            f"$ gcloud compute firewall-rules list --project={PROJECT} --filter='network=shop-prod-vpc' --format='table(name, direction, sourceRanges.list(), allowed[].map().firewall_rule().list(), targetTags.list())'",
            "NAME                         DIRECTION  SRC_RANGES     ALLOW                TARGET_TAGS",
            "shop-prod-allow-iap-ssh      INGRESS    35.235.240.0/20  tcp:22             ssh",
            "shop-prod-allow-internal     INGRESS    10.60.0.0/16   tcp,udp,icmp",
            "shop-prod-deny-all-ingress   INGRESS    0.0.0.0/0                          ",
            "",
            f"$ gcloud compute backend-services get-health shop-web-backend --global --project={PROJECT} --format='table(status.healthStatus[].instance.basename(), status.healthStatus[].healthState)'",
            "INSTANCE                         HEALTH_STATE",
            "shop-web-7k2q;shop-web-p41n;shop-web-x9c3;shop-web-d2m8  UNHEALTHY;UNHEALTHY;UNHEALTHY;UNHEALTHY",
            "",
            "$ gcloud compute ssh shop-web-7k2q --tunnel-through-iap -- curl -s -o /dev/null -w '%{http_code}\\n' localhost:8080/healthz",
            "200",
            "",
        ]
    )
    plan = "\n".join(
        [
            "PR #812 network: remove unused firewall rules (audit finding NET-77)",
            "terraform-ci: apply on shop-prod-vpc  2026-10-06 02:30:51 UTC",
            "",
            "  # google_compute_firewall.bastion_old will be destroyed",
            "  # google_compute_firewall.legacy_vpn will be destroyed",
            "  # google_compute_firewall.gclb_hc will be destroyed",
            '  - resource "google_compute_firewall" "gclb_hc" {',
            '      - name          = "shop-prod-allow-gclb-hc" -> null',
            '      - network       = "shop-prod-vpc" -> null',
            "      - source_ranges = [",
            '          - "130.211.0.0/22",',
            '          - "35.191.0.0/16",',
            "        ] -> null",
            '      - target_tags   = [ "web" ] -> null',
            "      - allow {",
            '          - ports    = [ "8080" ] -> null',
            '          - protocol = "tcp" -> null',
            "        }",
            "    }",
            "",
            "Plan: 0 to add, 0 to change, 3 to destroy.",
            "Apply complete! Resources: 0 added, 0 changed, 3 destroyed.",
            "",
        ]
    )
    events = "\n".join(
        [
            "2026-10-06T01:48:02Z  compute.instanceGroupManagers  shop-web-mig  RECREATING instance shop-web-p41n (autohealing: instance shop-web-p41n failed health check 3 times during rolling OS patch)",
            "2026-10-06T01:51:40Z  compute.instanceGroupManagers  shop-web-mig  instance shop-web-p41n RUNNING, health check HEALTHY",
            "2026-10-06T02:05:13Z  networksecurity.securityPolicies  shop-armor  preview match rule 1200 (owasp-crs-v030301-id942100-sqli) on /search?q=tea%27 (would deny, not enforced)",
            "",
        ]
    )
    return Bundle(
        question="The whole storefront has answered 502 since about 11:31 JST. The web VMs look healthy and nothing was deployed to them. What is the root cause?",
        category="network",
        component="shop-prod-vpc",
        statement="A Terraform clean-up applied at 02:31 UTC deleted the firewall rule shop-prod-allow-gclb-hc on shop-prod-vpc, which admitted Google's health-check ranges 35.191.0.0/16 and 130.211.0.0/22 to port 8080; the probes stop arriving, every backend of shop-web-backend turns UNHEALTHY and the load balancer answers 502 failed_to_pick_backend.",
        files={
            "https-lb-requests.jsonl": lb.render(),
            "shop-web-7k2q/nginx-access.log": "\n".join(fixed_lines) + "\n",
            "gcloud-session.txt": audit,
            "pr-812-ci-output.txt": plan,
            "shop-web-mig-events.txt": events,
        },
        proofs=[
            Proof(
                "gcloud-session.txt",
                "v1.compute.firewalls.delete  projects/acme-shop-prod/global/firewalls/shop-prod-allow-gclb-hc",
            ),
            Proof(
                "pr-812-ci-output.txt",
                "# google_compute_firewall.gclb_hc will be destroyed",
                '"35.191.0.0/16"',
            ),
        ],
        decoys=[
            "RECREATING instance shop-web-p41n",
            "preview match rule 1200",
            "backend_timeout",
        ],
    )
