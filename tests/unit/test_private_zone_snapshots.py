"""A private hosted zone and the VPCs it answers in, read from `aws route53 get-hosted-zone`."""

from faultmaven.snapshots import read_snapshots

ZONE = """$ aws route53 get-hosted-zone --id Z07182
{
    "HostedZone": {
        "Id": "/hostedzone/Z07182",
        "Name": "corp.internal.",
        "Config": {
            "PrivateZone": true
        }
    },
    "VPCs": [
        {
            "VPCRegion": "eu-west-1",
            "VPCId": "vpc-03a9b1c7"
        }
    ]
}"""


def _zones(text: str) -> list[tuple[str, int, int, str]]:
    return [
        (finding.subject, finding.line_start, finding.line_end, finding.detail)
        for finding in read_snapshots(text.splitlines())
        if finding.kind == "private_zone"
    ]


def test_a_private_zone_is_read_with_its_vpcs() -> None:
    assert _zones(ZONE) == [
        ("corp.internal", 10, 15, "private zone corp.internal answers only in vpc-03a9b1c7")
    ]


def test_a_public_zone_is_not_a_finding() -> None:
    assert _zones(ZONE.replace('"PrivateZone": true', '"PrivateZone": false')) == []


def test_a_new_command_forgets_the_zone_read_before() -> None:
    text = ZONE.replace('    "VPCs": [', '}\n$ aws ec2 describe-vpcs\n{\n    "VPCs": [')
    assert _zones(text) == []
