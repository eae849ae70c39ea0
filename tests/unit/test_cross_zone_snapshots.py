"""A load balancer's cross-zone balancing turned off, read from a Terraform plan."""

from faultmaven.snapshots import read_snapshots

PLAN = """  # module.ingest_edge.aws_lb.this will be updated in-place
  ~ resource "aws_lb" "this" {
        id                               = "arn:aws:...:loadbalancer/net/ingest-nlb/7c1e"
        name                             = "ingest-nlb"
      ~ enable_cross_zone_load_balancing = true -> false
    }
  ~ resource "aws_lb" "other" {
        name                             = "admin-alb"
      ~ enable_cross_zone_load_balancing = false -> true
    }""".splitlines()


def test_cross_zone_turned_off_is_read_with_the_balancers_name() -> None:
    found = [
        (finding.line_start, finding.subject)
        for finding in read_snapshots(PLAN)
        if finding.kind == "cross_zone_disabled"
    ]
    assert found == [(5, "ingest-nlb")]
