"""The settings that govern a known failure, and the lines of a case that state them.

"Got a packet bigger than 'max_allowed_packet'" is proved by the line that says what
max_allowed_packet is (`| max_allowed_packet | 4194304 |`, `max_allowed_packet = 64M`), often
pasted beside the logs or dumped at start-up; the failure's own lines only say a limit was
hit. A hypothesis of such a failure cites the lines stating its settings.
"""

import re
from collections.abc import Mapping, Sequence

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine
from faultmaven.domain.service_names import evidence_stem
from faultmaven.reasoning.candidates import Candidate

# Setting names as programs spell them; `_`, `-` and `.` are read as one.
SETTINGS_OF: Mapping[str, tuple[str, ...]] = {
    "packet_too_large": ("max_allowed_packet",),
    "replica_output_buffer_limit": (
        "client-output-buffer-limit", "client_output_buffer_limit_disconnections",
    ),
    "lock_table_full": ("max_locks_per_transaction",),
    "shard_limit_reached": ("max_shards_per_node",),
    "dns_forwarder_saturated": ("dns-forward-max",),
    "crl_expired": ("ssl_crl", "nextUpdate", "Next Update"),
    "thread_limit_reached": (
        "podPidsLimit", "pids.max", "TasksMax", "max user processes", "ulimit -u", "nproc",
        "kernel.threads-max",
    ),
    "proxy_queue_timeout": ("maxconn", "timeout queue"),
    "too_many_open_files": ("LimitNOFILE", "nofile", "Max open files", "ulimit -n"),
    "file_limit_lowered": ("LimitNOFILE", "nofile", "Max open files", "ulimit -n"),
    "connection_pool_exhausted": (
        "max_connections", "maximumPoolSize", "maximum-pool-size", "pool_size", "max_overflow",
        "maxPoolSize", "pool.max",
    ),
    "tls_error": (
        "jdk.tls.disabledAlgorithms", "ssl_protocols", "ssl_ciphers", "MinProtocol",
        "CipherString",
    ),
    "consumer_poll_timeout": ("max.poll.interval.ms", "max.poll.records"),
    "consumer_offsets_reset": ("auto.offset.reset", "offsets.retention.minutes"),
    "consumer_offsets_missing": ("auto.offset.reset", "offsets.retention.minutes"),
    "consumer_ack_timeout": ("consumer_timeout",),
    "request_body_too_large": ("client_max_body_size",),
    "proxy_buffer_too_small": (
        "proxy_buffer_size", "proxy_buffers", "large_client_header_buffers",
    ),
    "inotify_watches_exhausted": ("max_user_watches", "max_user_instances"),
    "conntrack_table_full": ("nf_conntrack_max",),
    "local_ports_exhausted": ("ip_local_port_range",),
    "neighbour_table_overflow": ("gc_thresh3", "gc_thresh2"),
    "mapping_fields_limit": ("mapping.total_fields.limit",),
    "record_too_large": ("max.request.size", "message.max.bytes", "max.message.bytes"),
    "db_lock": ("lock_timeout", "innodb_lock_wait_timeout"),
    "slow_query": ("statement_timeout", "max_execution_time", "max_statement_time"),
    "serialization_failure": ("default_transaction_isolation", "transaction_isolation"),
    "permission_denied": ("bound_service_account_namespaces", "bound_service_account_names"),
    "topic_not_found": ("auto.create.topics.enable",),
    "checkpoints_too_frequent": ("max_wal_size", "checkpoint_segments", "checkpoint_timeout"),
    "replica_too_stale": ("wal_keep_size", "wal_keep_segments", "max_slot_wal_keep_size"),
    "kafka_producer_fenced": (
        "transactional.id", "spring.kafka.producer.properties.transactional.id",
        "spring.kafka.producer.transaction-id-prefix",
    ),
    "kafka_session_timeout_range": (
        "session.timeout.ms", "group.max.session.timeout.ms", "group.min.session.timeout.ms",
    ),
    "rabbitmq_channel_max": ("channel_max",),
    "environment_too_large": ("enableServiceLinks",),
    "auto_increment_exhausted": ("AUTO_INCREMENT",),
    "redis_protected_mode": ("protected-mode",),
    "pooled_prepared_statements": ("pool_mode", "prepareThreshold"),
    "dns_transfer_denied": ("allow-transfer", "also-notify"),
    "kafka_log_cleaner_failed": ("log.cleaner.dedupe.buffer.size", "log.cleaner.threads"),
    "mysql_connection_lost": (
        "wait_timeout", "interactive_timeout", "pool_recycle", "maxLifetime", "max-lifetime",
    ),
    # Allocations refused under strict overcommit: the commit limit, not free memory, decides.
    # Redis refusing writes at its maxmemory: the limit and the policy that refuses them.
    "oom": (
        "vm.overcommit_memory", "vm.overcommit_ratio", "CommitLimit", "Committed_AS",
        "maxmemory", "maxmemory-policy",
    ),
    "write_to_replica": (
        "REDIS_ADDR", "REDIS_HOST", "REDIS_URL", "spring.redis.host", "spring.data.redis.host",
        "DB_HOST", "DATABASE_HOST", "PGHOST",
    ),
}  # fmt: skip


def _spelled(name: str) -> str:
    """Return a pattern matching a setting name however its separators are spelled."""
    return r"[-_. ]".join(re.escape(part) for part in re.split(r"[-_. ]", name))


def _normal(name: str) -> str:
    return re.sub(r"[-_. ]", "_", name.lower())


_NAMES = sorted({name for names in SETTINGS_OF.values() for name in names}, key=len, reverse=True)
# A name standing alone, then its value: `= 64M`, `: 231`, `| 4194304`, ` 32`, `=SSLv3`,
# a container's environment as JSON (`{"name":"REDIS_ADDR","value":"10.30.1.11:6379"}`), or
# a change of it (`Postgresql_conf[max_wal_size]/value) value changed '16GB' to '256MB'`).
_STATED = re.compile(
    r"(?<![\w.-])(?P<name>" + "|".join(_spelled(name) for name in _NAMES) + r")['\"]?"
    r"(?:\s*[=:|]\s*['\"]?[\w./+-]|\s+['\"]?[\d\[]|,\s*\"value\"\s*:\s*\"[^\"]"
    r"|(?![\w.-]).{0,80}?\b(?:changed|from)\b.{0,40}?\bto\b)",
    re.IGNORECASE,
)


_GROUP_PREFIX = "setting "


def setting_group(name: str) -> str:
    """Return the group of a line stating the (normalised) setting `name`."""
    return f"{_GROUP_PREFIX}{name}"


def stated_settings(text: str) -> set[str]:
    """Return the (normalised) names of the known settings a line states a value for."""
    return {_normal(found.group("name")) for found in _STATED.finditer(text)}


def settings_of(signature_id: str) -> set[str]:
    """Return the normalised names of the settings that govern a signature's failure."""
    return {_normal(name) for name in SETTINGS_OF.get(signature_id, ())}


def lines_stating(settings: Sequence[AnalysedLine], signature_id: str) -> list[AnalysedLine]:
    """Return the setting lines stating a setting that governs the signature's failure."""
    names = settings_of(signature_id)
    return [line for line in settings if line.group.removeprefix(_GROUP_PREFIX) in names]


def attach_settings(candidates: Sequence[Candidate], settings: Sequence[AnalysedLine]) -> None:
    """Give each candidate the lines stating its failure's settings, one per distinct line.

    `settings` are lines grouped by `setting_group` (what `stated_settings` found in them).
    """
    if not settings:
        return
    for candidate in candidates:
        if candidate.signature is None:
            continue
        own = {(line.evidence_id, line.n) for line in candidate.lines}
        for line in lines_stating(settings, candidate.signature.id):
            where = (line.evidence_id, line.n)
            if where not in own:
                candidate.settings.append(line)
                own.add(where)


# A statement changing a setting for everyone, not one showing it: `ALTER DATABASE ledger SET
# statement_timeout = '20s'`, `ALTER SYSTEM SET ...`, `SET GLOBAL max_execution_time = 2000`.
_CHANGED_FOR_ALL = re.compile(
    r"(?i)\bALTER\s+(?:DATABASE|ROLE|USER|SYSTEM)\b[^;]*?\bSET\b|\bSET\s+(?:GLOBAL|PERSIST)\s"
)


def blame_changed_settings(
    candidates: Sequence[Candidate], settings: Sequence[AnalysedLine]
) -> None:
    """Name a failure after the statement that changed the limit it hits, where it ran.

    Statements cancelled at a statement timeout are a slow query, until the case shows
    someone set that timeout for the whole database: then the change is the cause, and it
    lives at the server the statement ran on (the log it is in), not at the client.
    """
    for candidate in candidates:
        if candidate.signature is None or candidate.signature.snapshot:
            continue
        changes = [
            line
            for line in lines_stating(settings, candidate.signature.id)
            if _CHANGED_FOR_ALL.search(line.text)
        ]
        if not changes:
            continue
        candidate.category = Category.CONFIGURATION
        server = evidence_stem(changes[0].evidence_name)
        if server and server != candidate.component:
            candidate.reporter = candidate.reporter or candidate.component
            candidate.place_at(server)


# Failures reported by one server and decided by another's settings: a standby asking for WAL
# its primary no longer keeps fails on the primary's retention (wal_keep_size, slots).
DECIDED_ELSEWHERE = frozenset({"replica_too_stale"})


def place_where_settings_stated(
    candidates: Sequence[Candidate], settings: Sequence[AnalysedLine]
) -> None:
    """Move a failure decided by another server's settings to the server stating them.

    The standby logs "requested WAL segment has already been removed"; the primary's log
    saying `parameter "wal_keep_size" changed to "256MB"` shows where the WAL was dropped
    and where it is fixed. The failure keeps its category.
    """
    for candidate in candidates:
        if candidate.signature is None or candidate.signature.id not in DECIDED_ELSEWHERE:
            continue
        servers = [
            evidence_stem(line.evidence_name)
            for line in lines_stating(settings, candidate.signature.id)
        ]
        server = next((name for name in servers if name and name != candidate.component), None)
        if server is not None:
            candidate.reporter = candidate.reporter or candidate.component
            candidate.place_at(server)
