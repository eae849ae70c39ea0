"""The remote service a client-side error line names: where a dependency failure lives.

"connection refused to redis:6379" is written by the client, but the thing that is down
is redis. For failures that live at the far end (refused or reset connections, upstream
errors and timeouts, an expired server certificate) the hypothesis belongs to the peer
the line names, when it names one by host name rather than by address.
"""

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from faultmaven.domain.service_names import evidence_file_name, evidence_stem

_URL_HOST = re.compile(r"\b[a-z][a-z0-9+.-]*://(?:[^@/\s\"']+@)?([A-Za-z0-9.-]+)(?::\d+)?")
MAX_PORT = 65_535
# An access log's referer and user agent (`" 504 160 "https://www.shop.example/" "Mozilla..."`)
# name the page the client came from and its browser, never the peer that failed.
_ACCESS_LOG_CLIENT_FIELDS = re.compile(r'(" \d{3} (?:\d+|-)) "[^"]*" "[^"]*"')
# `for key category:412`: what follows the word key is a cache key, not a peer.
_KEY_BEFORE = re.compile(r"\bkeys?\s*[=:]?\s*[\"']?$", re.IGNORECASE)
_HOST_PORT = re.compile(r"(?<![\w.:/-])([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*):(\d{2,5})\b")
# Not `server`: nginx names its own virtual server that way, not the peer.
_NAMED = re.compile(
    r"\b(?:host|hostname|upstream|peer|target|endpoint|address|addr|remote)"
    r"\s*[=:]\s*[\"']?([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*)",
    re.IGNORECASE,
)
_LOCAL = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "unix"})
_NOT_HOSTS = frozenset(
    {"http", "https", "tcp", "udp", "line", "port", "time", "at", "file", "caused", "error",
     "exception", "java", "python", "go", "sql", "select", "in", "to", "from", "on"}
)  # fmt: skip
# `Bar.java:118`, `_ssl.c:1006`: a source file and line, not a host and port.
_SOURCE_FILE = re.compile(
    r"\.(?:java|kt|scala|py|pyx|go|js|mjs|cjs|ts|tsx|rb|cs|c|cc|cpp|h|hpp|rs|php|swift|ex|exs|erl)$"
)
_DOMAIN_TAILS = (".svc.cluster.local", ".svc", ".cluster.local", ".internal", ".local", ".lan")


# The kernel's NFS client: `nfs: server nas-02 not responding, still trying`.
_NFS_SERVER = re.compile(r"\bnfs4?: server ([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*) ")
# nginx: `upstream: "http://10.0.0.7:8080/api"`.
_PROXY_UPSTREAM = re.compile(r'\bupstream: "([^"]+)"')
_ADDRESS_PORT = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})(?![\w.])")
# "catalog-api listening on 127.0.0.1:50281", "Listening at http://0.0.0.0:8080", "bound to *:80",
# "Tomcat started on port(s): 8080", PostgreSQL's `listening on IPv4 address "0.0.0.0", port 5432`.
_LISTENING = re.compile(
    r"\b(?:listening|listens|bound|serving|running on|started on|server started"
    r"|started server|ServerConnector|accepting connections|running mode)\b",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(
    r"(?:(\d{1,3}(?:\.\d{1,3}){3}|\*|\[[0-9a-fA-F:]*\]|localhost):(\d{2,5})\b)"
    r"|(?:\bport\S{0,4}[\s=:]\s*(\d{2,5})\b)"
    r"|(?:(\d{1,3}(?:\.\d{1,3}){3})\W{1,4}port (\d{2,5})\b)",
    re.IGNORECASE,
)
_ANY_ADDRESS = frozenset({"0.0.0.0", "*", "[::]", "::"})

Addresses = Mapping[str, str]
"""Services by the address they listen on: `127.0.0.1:8080` (and `:8080` for any address)."""


def peer_of(text: str, addresses: Addresses | None = None) -> str | None:
    """Return the service a line's remote end is named as, or None if it names none.

    A peer named only by its address is the service known to listen there, if any. A
    proxy's own upstream field outranks other names on the line (nginx's `host:` is the
    client's Host header, not the peer).
    """
    upstream = _PROXY_UPSTREAM.search(text)
    if upstream is not None:
        return _peer_in(upstream.group(1), addresses)
    nfs = _NFS_SERVER.search(text)
    if nfs is not None:
        return service_of_host(nfs.group(1))
    return _peer_in(_ACCESS_LOG_CLIENT_FIELDS.sub(r"\1", text), addresses)


def _peer_in(text: str, addresses: Addresses | None) -> str | None:
    """Name the first peer a piece of text names, by host name or by known address."""
    for pattern in (_URL_HOST, _NAMED, _HOST_PORT):
        for match in pattern.finditer(text):
            if pattern is _HOST_PORT and _is_cache_key(text, match):
                continue
            name = service_of_host(match.group(1))
            if name is not None:
                return name
    if addresses:
        for match in _ADDRESS_PORT.finditer(text):
            host, port = match.groups()
            found = addresses.get(f"{host}:{port}") or addresses.get(f":{port}")
            if found is not None:
                return found
    return None


def _is_cache_key(text: str, match: re.Match[str]) -> bool:
    """Tell a cache key (`key product:83811`, `category:412`) from a host and port."""
    return int(match.group(2)) > MAX_PORT or bool(
        _KEY_BEFORE.search(text, max(0, match.start() - 12), match.start())
    )


def listening_address(text: str) -> str | None:
    """Return the address a "listening on" line announces: `127.0.0.1:8080`, or `:8080`."""
    said = _LISTENING.search(text)
    if said is None:
        return None
    found = _ANNOUNCED.search(text, said.end(), said.end() + 80)
    if found is None:
        return None
    host, port, bare_port, spaced_host, spaced_port = found.groups()
    host, port = host or spaced_host, port or bare_port or spaced_port
    if host is None or host in _ANY_ADDRESS or not _is_address(host):
        return f":{port}"
    return f"{host}:{port}"


def service_of_host(host: str) -> str | None:
    """Name a service after a host name: `ledger.internal` -> `ledger`, `db.shop.svc` -> `db`.

    Addresses, `localhost` and words that only look like hosts give None.
    """
    host = host.strip(".").lower()
    if not host or host in _LOCAL or host in _NOT_HOSTS or _is_address(host):
        return None
    if _SOURCE_FILE.search(host):
        return None
    for tail in _DOMAIN_TAILS:
        if host.endswith(tail) and len(host) > len(tail):
            host = host[: -len(tail)]
            break
    first = host.split(".", 1)[0]
    if first in _NOT_HOSTS or not re.search(r"[a-z]", first) or len(first) < 2:
        return None
    return first


def _is_address(host: str) -> bool:
    """Tell an IPv4 address (or a fragment of one) from a name."""
    return bool(re.fullmatch(r"[\d.]+", host))


_DATASTORE = re.compile(
    r"postgres|mysql|maria|redis|valkey|mongo|cassandra|scylla|elastic|opensearch|kafka|rabbit"
    r"|memcache|etcd|zookeeper|clickhouse|sqlserver|mssql|oracle|dynamo|couch|(?:^|[-_])db(?:$|[-_])"
    r"|(?:^|[-_])pg(?:$|[-_\d])"
    r"|database|cache",
    re.IGNORECASE,
)


def is_datastore(component: str) -> bool:
    """Tell whether a component's name says it is a database, cache or broker."""
    return bool(_DATASTORE.search(component))


_SERVICE_ACCOUNT = re.compile(r"system:serviceaccount:[a-z0-9-]+:([a-z0-9][a-z0-9-]*)")


def identity_of(text: str) -> str | None:
    """Return the workload a refused Kubernetes identity belongs to (its service account)."""
    found = _SERVICE_ACCOUNT.search(text)
    return found.group(1) if found else None


# Redis's replies about its own state (full, unable to persist, loading, busy).
_REDIS_STATE = (
    r"OOM command not allowed|MISCONF Redis is configured|LOADING Redis is loading"
    r"|BUSY Redis is busy"
)
_SERVER_STATE_REPLIES = re.compile(_REDIS_STATE)
# Replies only one kind of server sends, seen in its clients' logs without its name.
_SERVER_REPLIES = {"redis": re.compile(rf"{_REDIS_STATE}|READONLY You can't write")}


def quotes_server_reply(text: str) -> bool:
    """Tell whether a line quotes a server's reply about its own state.

    Redis's `OOM command not allowed` in a client's log is the server's failure, though
    the client logged it. `READONLY` is not: a client writing to a replica is pinned to
    the wrong address, its own configuration.
    """
    return bool(_SERVER_STATE_REPLIES.search(text))


# Signatures whose failure only one kind of server reports, though the client's line (a
# traceback's first line) may not show the reply itself.
SERVER_OF_SIGNATURE = {
    "packet_too_large": "mysql",
    "consumer_ack_timeout": "rabbit",
    "auto_increment_exhausted": "mysql",
    "redis_protected_mode": "redis",
    "redis_noperm": "redis",
    "rabbitmq_access_refused": "rabbit",
    "pooled_prepared_statements": "pgbouncer",
    "es_circuit_breaker": "elasticsearch",
    "es_rejected_execution": "elasticsearch",
    "mysql_connection_lost": "mysql",
    "kafka_coordinator_loading": "kafka",
}
# How a server of each kind may be named besides its kind (`rmq-east-1` is a RabbitMQ).
_KIND_NAMES = {
    "rabbit": ("rabbit", "rmq"),
    "elasticsearch": ("elasticsearch", "opensearch"),
    "pgbouncer": ("pgbouncer",),
}
# Short names a server of a kind starts with (`mq-orders-01`, `es-logs`, `pgb-ledger-01`).
_KIND_PREFIXES = {"rabbit": ("mq-",), "elasticsearch": ("es-",), "pgbouncer": ("pgb-",)}


# The server programs whose own log, named after the program, tells a component's kind.
_KIND_OF_PROGRAM = {
    "mysql": "mysql", "postgres": "postgres", "redis": "redis", "rabbit": "rabbit",
    "rabbitmq": "rabbit", "elasticsearch": "elasticsearch", "opensearch": "elasticsearch",
    "pgbouncer": "pgbouncer",
}  # fmt: skip


def server_kinds(evidence_names: Iterable[str]) -> dict[str, str]:
    """Tell the kind of each component whose server's own log the case holds under its name.

    `db-inv-01/mysqld.err` makes db-inv-01 a MySQL server, `pgb-ledger-01/pgbouncer.log` a
    PgBouncer, though neither name says so.
    """
    kinds: dict[str, str] = {}
    for name in evidence_names:
        program = evidence_stem(evidence_file_name(name))
        kind = _KIND_OF_PROGRAM.get((program or "").lower())
        component = evidence_stem(name)
        if kind and component and component != program:
            kinds[component] = kind
    return kinds


def replying_server(
    text: str,
    services: Collection[str],
    signature_id: str | None = None,
    kinds: Mapping[str, str] | None = None,
) -> str | None:
    """Name the case's one service of the kind whose own reply a client logged, if any.

    "ReplyError: OOM command not allowed when used memory > 'maxmemory'" is Redis
    answering: with one Redis among the case's services, that is where it lives. So is
    a failure only one kind of server reports (MySQL refusing a packet too large). `kinds`
    gives the kind of servers whose names do not say it (`server_kinds`).
    """
    kind = SERVER_OF_SIGNATURE.get(signature_id or "")
    kind = kind or next((k for k, reply in _SERVER_REPLIES.items() if reply.search(text)), None)
    if kind is None:
        return None
    names = _KIND_NAMES.get(kind, (kind,))
    prefixes = _KIND_PREFIXES.get(kind, ())
    named = sorted(
        service
        for service in services
        if any(n in service.lower() for n in names)
        or service.lower().startswith(prefixes)
        or (kinds or {}).get(service) == kind
    )
    if kind in named:
        return kind
    # `mysql-pay-01` and the notes pasted from it, `mysql-pay-01-session`: one server.
    shortest = min(named, key=len, default=None)
    if shortest is not None and all(name.startswith(shortest) for name in named):
        return shortest
    return _cluster_of(named)


def _cluster_of(names: Sequence[str]) -> str | None:
    """Name the cluster several nodes' names share: `es-logs` of `es-logs-data-3`, `-master-1`.

    The shared part must be two words at least: `mysql-a` and `mysql-b` are two servers.
    """
    if len(names) < 2:
        return None
    split = [name.split("-") for name in names]
    shared: list[str] = []
    for words in zip(*split, strict=False):
        if len(set(words)) > 1:
            break
        shared.append(words[0])
    return "-".join(shared) if len(shared) >= 2 else None
