"""Secrets and personal data taken out of text before an external model sees it.

Each value becomes a placeholder such as `[REDACTED:email#1]`; within one request the same
value always maps to the same placeholder, so the model can still tell values apart.
"""

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

_NOT_PLACEHOLDER = r"(?!\[REDACTED)"
_SECRET_KEYS = (
    r"password|passwd|pwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token"
    r"|api[_-]?key|access[_-]?key|secret[_-]?key"
)


@dataclass(frozen=True)
class _Rule:
    """A kind of secret; only the `secret` group of a match is replaced."""

    kind: str
    pattern: re.Pattern[str]


_RULES = (
    _Rule(
        "private_key",
        re.compile(
            r"(?P<secret>-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?"
            r"(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$))"
        ),
    ),
    _Rule(
        "credentials",
        re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://(?P<secret>[^/\s:@]+:[^/\s@]+)@"),
    ),
    _Rule(
        "secret",
        re.compile(
            rf"(?i)\b(?:{_SECRET_KEYS})\b[\"']?\s*[:=]\s*(?P<quote>[\"'])"
            rf"{_NOT_PLACEHOLDER}(?P<secret>[^\"'\n]+)(?P=quote)"
        ),
    ),
    _Rule(
        "secret",
        re.compile(
            rf"(?i)\b(?:{_SECRET_KEYS})\b[\"']?\s*[:=]\s*"
            rf"(?!Bearer\b){_NOT_PLACEHOLDER}(?P<secret>[^\s\"',;&}}\]]+)"
        ),
    ),
    _Rule(
        "bearer_token",
        re.compile(rf"(?i)\bBearer\s+{_NOT_PLACEHOLDER}(?P<secret>[\w.~+/=-]{{8,}})"),
    ),
    _Rule("jwt", re.compile(r"(?P<secret>\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)")),
    _Rule("aws_key", re.compile(r"(?P<secret>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)")),
    _Rule("api_key", re.compile(r"(?P<secret>\bsk-[\w-]{16,})")),
    _Rule(
        "github_token",
        re.compile(r"(?P<secret>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}))"),
    ),
    _Rule("slack_token", re.compile(r"(?P<secret>\bxox[abposr]-[A-Za-z0-9-]{10,})")),
    _Rule("email", re.compile(r"(?P<secret>\b[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)")),
)

_IPV4 = re.compile(
    r"(?P<secret>(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.]))"
)
_IPV6_CANDIDATE = re.compile(
    r"(?<![\w:])(?P<secret>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![\w:])"
)


@dataclass
class Redactor:
    """Replaces secrets (and, when asked, IP addresses) with stable placeholders."""

    redact_ips: bool = False
    _placeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    @property
    def redacted_count(self) -> int:
        """How many distinct values were redacted so far."""
        return len(self._placeholders)

    def redact(self, text: str) -> str:
        """Return `text` with every secret replaced by its placeholder."""
        for rule in _RULES:
            text = self._replace(rule.kind, rule.pattern, text)
        if self.redact_ips:
            text = self._replace("ip", _IPV4, text)
            text = self._replace("ip", _IPV6_CANDIDATE, text, valid=_is_ipv6)
        return text

    def _replace(
        self,
        kind: str,
        pattern: re.Pattern[str],
        text: str,
        valid: Callable[[str], bool] | None = None,
    ) -> str:
        def substitute(match: re.Match[str]) -> str:
            secret = match.group("secret")
            if valid is not None and not valid(secret):
                return match.group(0)
            start, end = match.span("secret")
            whole_start = match.start()
            whole = match.group(0)
            return (
                whole[: start - whole_start]
                + self._placeholder(kind, secret)
                + whole[end - whole_start :]
            )

        return pattern.sub(substitute, text)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._placeholders:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._placeholders[key] = f"[REDACTED:{kind}#{self._counts[kind]}]"
        return self._placeholders[key]


def _is_ipv6(value: str) -> bool:
    if value.count(":") < 2:
        return False
    try:
        return isinstance(ipaddress.ip_address(value), ipaddress.IPv6Address)
    except ValueError:
        return False
