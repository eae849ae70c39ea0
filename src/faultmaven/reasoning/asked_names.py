"""Name a component the way the question does when the evidence file says the same.

A file name is shortened to its service (`orders-db-1.log` -> `orders-db`: the instance
number goes, as `web-1.log` and `web-2.log` are both `web`). When the person asks about
`orders-db-1` and every file a hypothesis cites from that component holds `orders-db-1`
in its name, the instance they mean is that one, and the answer should say it in their
words.
"""

import re
from collections.abc import Sequence

from faultmaven.domain.service_names import evidence_file_name, evidence_stem, service_name
from faultmaven.reasoning.candidates import Candidate

# A name with a hyphen or a digit: `orders-db-1`, `web2`; a plain word is too vague.
_ASKED = re.compile(r"(?<![\w.-])([A-Za-z][\w]*(?:-[\w]+)+|[A-Za-z]+\d+)(?![\w-])")


def name_as_asked(candidates: Sequence[Candidate], question: str | None) -> None:
    """Rename each component to the question's name for it, in place.

    A component is renamed to a name the question uses when that name is not already
    part of the component's name, shares a word with it, and every evidence file the
    component's candidates cite is named after the component and holds the name.
    """
    if not question:
        return
    asked = {match.group(1) for match in _ASKED.finditer(question)}
    components = {c.component for c in candidates if c.component}
    for component in sorted(components):
        names = {
            line.evidence_name
            for candidate in candidates
            if candidate.component == component
            for line in candidate.lines
        }
        if any(evidence_stem(name) != component for name in names):
            continue
        renamed = _asked_name(
            component, {evidence_file_name(name) for name in names}, asked - components
        )
        if renamed is not None:
            _rename(candidates, component, renamed)


# `pg-ledger-02's PostgreSQL`, `the Redis on cache-03`: the host a server runs on, asked about.
_SERVER_WORDS = r"PostgreSQL|Postgres|MySQL|MariaDB|Redis|MongoDB|Elasticsearch|RabbitMQ|Kafka"
_HOST = r"[A-Za-z][\w]*(?:-[\w]+)+|[A-Za-z]+\d+"
_SERVER_OF_HOST = re.compile(
    rf"(?<![\w.-])(?P<host>{_HOST})'s (?P<server>{_SERVER_WORDS})\b"
    rf"|\b(?P<server2>{_SERVER_WORDS}) on (?P<host2>{_HOST})(?![\w-])",
    re.IGNORECASE,
)


def name_servers_as_asked(candidates: Sequence[Candidate], question: str | None) -> None:
    """Rename a server known only by its program to the host the question runs it on.

    A server's own log is often named after the program (`postgresql-16-main.log` reads as
    `postgres`); "pg-ledger-02's PostgreSQL will not come back up" says which one it is.
    Only one host per program is taken; two hosts asked about leave the name alone.
    """
    hosts: dict[str, set[str]] = {}
    for found in _SERVER_OF_HOST.finditer(question or ""):
        server = (found.group("server") or found.group("server2")).lower()
        host = found.group("host") or found.group("host2")
        hosts.setdefault(service_name(server), set()).add(host)
    for program, named in hosts.items():
        if len(named) == 1:
            _rename(candidates, program, named.pop())


def _rename(candidates: Sequence[Candidate], old: str, new: str) -> None:
    """Call component `old` by the name `new` wherever the candidates name it."""
    for candidate in candidates:
        if candidate.component == old:
            candidate.component = new
        candidate.also_in = [new if name == old else name for name in candidate.also_in]


def _asked_name(component: str, files: set[str], asked: set[str]) -> str | None:
    if not files:
        return None
    fitting = [
        name
        for name in asked
        if name.lower() not in component.lower()
        and all(name.lower() in file for file in files)
        and _shares_a_part(component, name)
    ]
    return fitting[0] if len(fitting) == 1 else None


def _shares_a_part(component: str, name: str) -> bool:
    """Whether the two names have a word in common (`postgresql-orders-db`, `orders-db-1`)."""
    return bool(set(re.split(r"[-_.]", component.lower())) & set(re.split(r"[-_.]", name.lower())))
