"""Upstreams nginx names by host name and resolves only at start-up, from pasted `nginx -T`."""

from faultmaven.snapshots import read_snapshots

NGINX_T = """admin@gw-edge-02:~$ sudo nginx -T 2>/dev/null | grep -nE 'resolver|upstream |server '
38:    upstream ledger_backend {
39:        server internal-ledger-alb-17.eu-central-1.elb.amazonaws.com:443 max_fails=3;
40:        server 10.42.9.14:443 backup;
41:        server api.partner.example resolve;
71:            proxy_pass https://ledger_backend;
72:            proxy_pass https://billing.internal.example/v1/;
73:            proxy_pass https://$billing_host;
88:            proxy_pass http://127.0.0.1:9913;
    server_name api.partners.example;""".splitlines()


def test_names_resolved_once_are_read_with_the_prompts_host() -> None:
    found = [
        (finding.line_start, finding.scope, finding.host)
        for finding in read_snapshots(NGINX_T)
        if finding.kind == "upstream_resolved_once"
    ]
    assert found == [
        (3, "internal-ledger-alb-17.eu-central-1.elb.amazonaws.com", "gw-edge-02"),
        (7, "billing.internal.example", "gw-edge-02"),
    ]
