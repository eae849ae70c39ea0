"""Secrets and personal data never leave in what the agent sends; placeholders are stable."""

import pytest

from faultmaven.agent.redaction import Redactor


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("using key AKIAIOSFODNN7EXAMPLE for s3", "AKIAIOSFODNN7EXAMPLE", "aws_key"),
        ("OPENAI=sk-proj-4f9a8b7c6d5e4f3a2b1c", "sk-proj-4f9a8b7c6d5e4f3a2b1c", "api_key"),
        (
            "clone with ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "github_token",
        ),
        (
            "slack xoxb-2048-1234567890-abcdefABCDEF",
            "xoxb-2048-1234567890-abcdefABCDEF",
            "slack_token",
        ),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl done",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl",
            "jwt",
        ),
        ("Authorization: Bearer abc123def456ghi789", "abc123def456ghi789", "bearer_token"),
        ("db login password=hunter2 ok", "hunter2", "secret"),
        ('{"user": "bob", "password": "correct horse battery"}', "correct horse battery", "secret"),
        ("passwd: s3cr3t!", "s3cr3t!", "secret"),
        ("client_secret='abcd1234'", "abcd1234", "secret"),
        ("token=tok_live_998877", "tok_live_998877", "secret"),
        ("dsn postgres://app:Pa55word@db:5432/shop", "app:Pa55word", "credentials"),
        ("mail ops.oncall+pager@example.co.uk now", "ops.oncall+pager@example.co.uk", "email"),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEA",
            "private_key",
        ),
    ],
)
def test_each_kind_of_secret_is_replaced_by_a_placeholder(
    text: str, secret: str, kind: str
) -> None:
    redacted = Redactor().redact(text)
    assert secret not in redacted
    assert f"[REDACTED:{kind}#1]" in redacted


def test_the_same_value_maps_to_the_same_placeholder_within_a_request() -> None:
    redactor = Redactor()
    first = redactor.redact("from alice@example.com to bob@example.com")
    second = redactor.redact("again alice@example.com")
    assert first == "from [REDACTED:email#1] to [REDACTED:email#2]"
    assert second == "again [REDACTED:email#1]"


def test_ip_addresses_are_kept_unless_asked_and_then_both_families_go() -> None:
    text = "peer 10.20.30.40 and 2001:db8::8a2e:370:7334 at 12:30:45, mac aa:bb:cc:dd:ee:ff"
    assert Redactor().redact(text) == text
    redacted = Redactor(redact_ips=True).redact(text)
    assert redacted == (
        "peer [REDACTED:ip#1] and [REDACTED:ip#2] at 12:30:45, mac aa:bb:cc:dd:ee:ff"
    )


def test_ordinary_log_text_is_left_alone() -> None:
    line = "2026-11-25T10:01:00Z ERROR checkout pool exhausted: max_connections=20 tokens: 5"
    assert Redactor(redact_ips=True).redact(line) == line
