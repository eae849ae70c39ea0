"""A service's name from an evidence file's name: `logs/nginx-access.log.1.gz` -> `nginx`.

Every engine names components this way when a line does not name its service, so the
rule lives here, below them all.
"""

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from faultmaven.domain.workloads import (
    container_log_pod,
    control_plane_component,
    workload_name,
)

_ROTATION = re.compile(r"\.\d{1,3}$|[-_.]\d{8}(?:\d{2,6})?$|[-_.]\d{4}-\d\d-\d\d$")
_EXTENSIONS = (
    ".gz", ".bz2", ".xz", ".zst", ".log", ".txt", ".json", ".jsonl", ".ndjson", ".logfmt", ".out",
    ".err", ".csv", ".tsv", ".md", ".cfg", ".conf", ".yaml", ".yml", ".properties", ".ini", ".toml",
)  # fmt: skip
# File names that say what a log is, not whose it is: the folder above names the service.
GENERIC_STEMS = frozenset(
    {"error", "errors", "access", "app", "application", "output", "stdout", "stderr",
     "current", "log", "logs", "server", "debug", "main", "combined", "all", "worker",
     "workers", "service", "daemon", "job", "jobs"}
)  # fmt: skip
# A file's role (`nginx-access`, `api_stderr`, `pricing-jstack`, `coredns-previous` for
# `kubectl logs --previous`, `token-refresh-logs`, `logstash-plain`, `risk-scorer-new` beside
# `risk-scorer-old`: the pods before and after a rollout) or a server's cluster label
# (`postgresql-16-main`) is not part of the service's name.
_ROLE_SUFFIX = re.compile(
    r"(?:[-_.](?:access|error|errors|stdout|stderr|out|err|debug|combined|main|jstack|jcmd|logs?"
    r"|thread[-_]?dump|tdump|threads|slow|slowlog|slow[-_]query|previous|prev|ipamd|plain"
    r"|new|old|before|after|current"
    r"|(?!0\d)\d+(?:\.\d+)*))+$",
    re.IGNORECASE,
)
# A numbered instance's own log of some kind (`kafka-3-server`, `cassandra-2-system`,
# `db-03-syslog`, `db-replica-02-mysqld`, `cache-redis-01-redis`, `lb-02-haproxy`,
# `pos-gw-01-nginx`, `pg-orders-3-sar`): the instance is what the file is about, so its
# number stays.
_INSTANCE_LOG = re.compile(
    r"^([a-z][\w.-]*?[-_]\d{1,3})[-_](?:server|system|gc|kern|kernel|syslog|journal|messages"
    r"|console|dmesg|audit|mysqld|mysql|mariadb|redis|redis-server|mongod|postgres|postgresql"
    r"|nginx|haproxy|httpd|apache2?|envoy|traefik|caddy|rabbit(?:mq)?|named|bind9?|unbound"
    r"|dnsmasq|error|slow|audit|sar|vmstat|iostat|mpstat|pidstat|metrics)$",
    re.IGNORECASE,
)
# A host numbered with a leading zero (`redis-sess-02`, `wiki-app-01-shell`): no pod or
# rotation is numbered so, and whatever follows the number says what the file holds.
_PADDED_HOST = re.compile(
    r"^([a-z][\w.-]*?[a-z][-_]0\d{1,2})(?:[-_.][a-z][\w.-]*)?$", re.IGNORECASE
)
# A RabbitMQ node's log is named after the node, `rabbit@<host>`: the host is the broker.
_ERLANG_NODE = re.compile(r"^rabbit(?:mq)?@([a-z0-9][\w.-]*)$", re.IGNORECASE)
# A server's own PostgreSQL log, its name before or after the program's.
_POSTGRES_AROUND = re.compile(
    r"^(?:(?P<before>[a-z][\w.-]*?)[-_.]postgres(?:ql)?|postgres(?:ql)?[-_](?P<after>[a-z][\w.-]+))$",
    re.IGNORECASE,
)
# Folders evidence is gathered in (`logs/postgresql-replica.log`): they name no server.
_GATHERING_FOLDERS = frozenset(
    {"logs", "log", "var", "evidence", "data", "tmp", "output", "files", "attachments"}
)
_NOT_SERVERS = frozenset(
    {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "primary", "replica", "standby",
     "main", "master", "slave", "log", "logs", "server", "error", "slow", "csv", "json"}
)  # fmt: skip
# Database servers, named as their process: in their own logs `app=` names the client.
DATABASE_SERVERS = frozenset(
    {"postgres", "mysql", "mongodb", "redis", "elasticsearch", "cassandra", "clickhouse"}
)
# `kubectl logs` saved as `logs-<pod>.txt` or `kubectl-logs-<pod>.txt`: the pod is the name.
# `kubectl-logs-previous.txt`: a role with no pod's name left says nothing of the service.
# A folder named for one numbered host (`edge-lb-1`, `cache-03`), not a date or a version.
_NUMBERED_FOLDER = re.compile(r"^[a-z][a-z0-9.-]*?[a-z][-_]\d{1,3}$", re.IGNORECASE)
_ROLE_ONLY = frozenset({"previous", "prev"})
# Words of what a host's own tools print (`shell-session`, `openssl-checks`, `redis-cli`,
# `rabbitmqctl`, `ops-config-commit`), of the servers it runs (`pgbouncer`, `log-cleaner`) and
# of logging libraries (`zap.json`): a file named only with them, in a host's or service's
# folder, is that host's or service's.
_FILE_KIND_WORDS = frozenset(
    {"shell", "session", "sessions", "terminal", "journalctl", "journal", "syslog", "messages",
     "dmesg", "kern", "cli", "ctl", "rabbitmqctl", "mysql", "psql", "openssl", "curl", "dig",
     "ansible", "terraform", "diff", "dev", "tools", "config", "ops", "commit", "checks",
     "check", "status", "stat", "stats", "diagnostics", "cert", "certs", "letsencrypt",
     "certbot", "disks", "disk", "host", "sar", "iostat", "vmstat", "top", "ss", "netstat",
     "smartctl", "cleaner", "controller", "pgbouncer", "redis", "server", "kafka",
     "elasticsearch", "haproxy", "nginx", "celery", "worker", "audit", "output", "notes",
     "zap", "zerolog", "logrus", "slog", "pino", "winston", "bunyan", "logback", "log4j",
     "serilog", "nlog", "structlog", "loguru"}
)  # fmt: skip
# A JVM's fatal error log, `hs_err_pid<pid>.log`: the crashed process's host.
_JVM_CRASH_LOG = re.compile(r"^hs_err_pid\d+$", re.IGNORECASE)
# Servers whose own log is named after the program alone (`ledger-db/postgresql.log`,
# `es-logs/elasticsearch.json`): the folder holding it names the server.
_SERVER_PROGRAMS = frozenset(
    {"postgres", "postgresql", "mysql", "mysqld", "mariadb", "redis", "redis-server", "mongod",
     "mongodb", "elasticsearch", "opensearch", "pgbouncer", "haproxy", "rabbit", "rabbitmq",
     "kafka", "zookeeper", "etcd", "named", "envoy", "memcached", "clickhouse", "cassandra"}
)  # fmt: skip
# A folder named like a component (`es-logs`, `ledger-db`), not a collection (`flow-logs`).
_COMPONENT_FOLDER = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
_COLLECTION_FOLDER = re.compile(
    r"^(?:vpc-)?flow-logs|^(?:alb|elb|nlb|lb|access|app|pod|node|container)-logs$|^evidence"
)
# An engineer's own write-up (`notes.md`, `incident.txt`) is about the whole incident: what
# its lines quote or guess belongs to no service named after the file.
_WRITE_UPS = frozenset(
    {"notes", "note", "readme", "incident", "incident-notes", "timeline", "ticket", "handover",
     "summary", "oncall-notes", "on-call-notes"}
)  # fmt: skip
# A JVM's garbage-collection log (`gc-hb-rs-04.log`) is its process's.
_ROLE_PREFIX = re.compile(r"^(?:(?:kubectl[-_])?logs|gc)[-_](?=[a-z0-9])", re.IGNORECASE)
# Servers whose package, file and process names differ: name them as their process.
PROGRAM_NAMES = {
    "postgresql": "postgres",
    "pgsql": "postgres",
    "redis-server": "redis",
    "mysqld": "mysql",
    "mariadb": "mysql",
    "mongod": "mongodb",
    "httpd": "apache",
    "apache2": "apache",
    "sshd": "ssh",
    # The AWS VPC CNI's IP address manager runs inside the aws-node pods.
    "ipamd": "aws-node",
}


def evidence_file_name(evidence_name: str) -> str:
    """Return a file name without folders, lower-cased: `logs/Web-1.log` -> `web-1.log`."""
    return PurePosixPath(evidence_name.replace("\\", "/")).name.lower()


def evidence_stem(evidence_name: str) -> str | None:
    """Name a service from an evidence file name: `logs/api-gateway.log.gz` -> `api-gateway`."""
    parts = [part for part in re.split(r"[/\\]", evidence_name) if part]
    if not parts:
        return None
    stem = parts[-1]
    changed = True
    while changed:
        changed = False
        for extension in _EXTENSIONS:
            if stem.lower().endswith(extension) and len(stem) > len(extension):
                stem, changed = stem[: -len(extension)], True
        rotated = _ROTATION.sub("", stem)
        if rotated and rotated != stem:
            stem, changed = rotated, True
    stem = _ROLE_PREFIX.sub("", stem) or stem
    if stem.lower() in _ROLE_ONLY or stem.lower() in _WRITE_UPS:
        return None
    folder = _numbered_host_folder(parts, stem) or _server_folder(parts, stem)
    if folder:
        return folder
    if stem.lower() in GENERIC_STEMS and len(parts) > 1:
        parent = parts[-2]
        if "." not in parent:
            stem = parent
        # `mtls-gw-01/nginx/error.log`: a host's folder holding its server's folder.
        host_server = _INSTANCE_LOG.match(f"{parts[-3]}-{parent}") if len(parts) > 2 else None
        if host_server:
            return host_server.group(1)
    control_plane = control_plane_component(stem)
    if control_plane:
        return control_plane
    instance = (
        _INSTANCE_LOG.match(stem)
        or _INSTANCE_LOG.match(_ROLE_SUFFIX.sub("", stem))  # `pos-gw-01-nginx-error`
        or _ERLANG_NODE.match(stem)
    )
    if instance:
        return instance.group(1)
    folder = parts[-2] if len(parts) > 1 and "." not in parts[-2] else None
    server = _database_host(stem, folder)
    if server:
        return server
    padded = _PADDED_HOST.match(stem)
    if padded:
        return padded.group(1)
    # `kube-proxy-7xq4d-previous`: the file's role goes before the pod's suffix can.
    stem = _ROLE_SUFFIX.sub("", stem) or stem
    return service_name(workload_name(container_log_pod(stem) or stem)) or None


def _numbered_host_folder(parts: Sequence[str], stem: str) -> str | None:
    """Return the numbered host whose folder holds its own log: `edge-lb-1/error.log`.

    Logs gathered per host (`cache-03/redis-server.log`, `api-07/app.log`, `kafka-2/server.log`)
    are that instance's, as `cache-03-redis.log` would be; a file naming something else
    (`db-1/journal-audit-purge.txt`) keeps its own name.
    """
    if len(parts) < 2 or not _NUMBERED_FOLDER.match(parts[-2]):
        return None
    folder = parts[-2]
    role = _ROLE_SUFFIX.sub("", stem) or stem
    if (
        stem.lower() in GENERIC_STEMS
        or _INSTANCE_LOG.match(f"{folder}-{role}")
        or _names_only_a_kind(stem)
        or _JVM_CRASH_LOG.match(stem)
    ):
        return folder
    return None


def _names_only_a_kind(stem: str) -> bool:
    """Tell whether a file's name says only what kind of file it is (`shell-session`)."""
    words = set(re.split(r"[-_.]+", stem.lower())) - {""}
    return words <= _FILE_KIND_WORDS | GENERIC_STEMS


def _server_folder(parts: Sequence[str], stem: str) -> str | None:
    """Return the folder naming the server whose own log is named after its program alone.

    `ledger-db/postgresql.log` is ledger-db's, `es-logs/elasticsearch.json` es-logs', and so
    is what its tools printed (`es-logs/dev-tools.txt`); a collection folder (`flow-logs/`)
    names nothing.
    """
    if len(parts) < 2:
        return None
    folder = parts[-2].lower()
    program = (_ROLE_SUFFIX.sub("", stem) or stem).lower()
    named_by_folder = program in _SERVER_PROGRAMS or _names_only_a_kind(stem)
    if not named_by_folder or folder == program or folder in _SERVER_PROGRAMS:
        return None
    if _COMPONENT_FOLDER.match(folder) and not _COLLECTION_FOLDER.search(folder):
        return parts[-2]
    return None


def _database_host(name: str, folder: str | None) -> str | None:
    """Name a PostgreSQL log after its server: `jobs-db-postgresql` -> `jobs-db`.

    The server's name is kept whole (`postgresql-orders-db-1` -> `orders-db-1`);
    `postgresql-Mon` (the default weekly file) and `postgresql-replica` name no server, so
    the server's `folder` does (`pg-ledger-1/postgresql-Tue.log`). None for any other name,
    or when neither names a server.
    """
    found = _POSTGRES_AROUND.match(name)
    if found is None:
        return None
    server = found.group("before") or found.group("after")
    if server.lower() not in _NOT_SERVERS:
        return server
    return folder if folder and folder.lower() not in _GATHERING_FOLDERS else None


def service_name(name: str) -> str:
    """Drop a file-role or cluster suffix and name a server by its process: `postgres`."""
    bare = _ROLE_SUFFIX.sub("", name) or name
    return PROGRAM_NAMES.get(bare.lower(), bare)


_DNS_SERVER = re.compile(
    r"coredns|kube-?dns|dnsmasq|(?:^|[-_])named(?:$|[-_])|bind9|unbound|powerdns|pdns"
    r"|(?:^|[-_])dns(?:$|[-_])|resolver",
    re.IGNORECASE,
)


def is_dns_server(component: str) -> bool:
    """Tell whether a component's name says it is a DNS server or resolver."""
    return bool(_DNS_SERVER.search(component))


# A node's service networking: kube-proxy and the CNI agents that wire pods to each other.
_NETWORK_AGENT = re.compile(
    r"^(?:kube-proxy|calico-node|calico|cilium(?:-agent)?|aws-node|(?:kube-)?flannel(?:-ds)?"
    r"|weave-net|antrea-agent|kube-router|ovnkube-node|canal|kube-ovn-cni)$",
    re.IGNORECASE,
)


# CNI plugin types (`plugin type="aws-cni"` in a sandbox failure) and the agents running them.
_PLUGIN_AGENTS = {
    "aws-cni": "aws-node",
    "calico": "calico-node",
    "cilium-cni": "cilium",
    "flannel": "kube-flannel",
    "weave-net": "weave-net",
    "antrea": "antrea-agent",
    "ovn-k8s-cni-overlay": "ovnkube-node",
    "kube-ovn": "kube-ovn-cni",
}


def network_agent_of_plugin(plugin_type: str) -> str:
    """Name the node agent that runs a CNI plugin type: `aws-cni` -> `aws-node`."""
    return _PLUGIN_AGENTS.get(plugin_type.lower(), plugin_type)


# CSI drivers (`driver name ebs.csi.aws.com not found in the list of registered CSI drivers`)
# and the DaemonSets that run their node plugin, which registers the driver on each node.
_CSI_NODE_PLUGINS = {
    "ebs.csi.aws.com": "ebs-csi-node",
    "efs.csi.aws.com": "efs-csi-node",
    "fsx.csi.aws.com": "fsx-csi-node",
    "pd.csi.storage.gke.io": "pdcsi-node",
    "disk.csi.azure.com": "csi-azuredisk-node",
    "file.csi.azure.com": "csi-azurefile-node",
    "driver.longhorn.io": "longhorn-csi-plugin",
    "rbd.csi.ceph.com": "csi-rbdplugin",
    "cephfs.csi.ceph.com": "csi-cephfsplugin",
    "csi.vsphere.vmware.com": "vsphere-csi-node",
    "nfs.csi.k8s.io": "csi-nfs-node",
    "smb.csi.k8s.io": "csi-smb-node",
    "secrets-store.csi.k8s.io": "csi-secrets-store",
}


def csi_node_plugin_of_driver(driver: str) -> str:
    """Name the DaemonSet running a CSI driver's node plugin: `ebs.csi.aws.com` -> `ebs-csi-node`.

    A Rook cluster prefixes its drivers with the operator's namespace (`rook-ceph.rbd...`).
    """
    driver = driver.lower()
    for known, plugin in _CSI_NODE_PLUGINS.items():
        if driver == known or driver.endswith(f".{known}"):
            return plugin
    return driver


def is_network_agent(component: str) -> bool:
    """Tell whether a component is kube-proxy or a CNI agent: pod networking on its node."""
    return bool(_NETWORK_AGENT.match(component))


# What a service's name says beyond the platform's conventions: `ts-assurance-service`
# is "assurance", `currencyservice` is "currency", `reviews-api` is "reviews".
_CONVENTION_PREFIX = re.compile(r"^(?:ts|svc|app|srv)-", re.IGNORECASE)
_CONVENTION_SUFFIX = re.compile(r"-?(?:service|svc|server|api|app|worker)$", re.IGNORECASE)
CORE_NAME_MIN_LENGTH = 5


def core_name(component: str, min_length: int = CORE_NAME_MIN_LENGTH) -> str | None:
    """Return the distinctive word of a service's name, or None when it is the whole name.

    Callers name a service by what it does ("Create Assurance Fail", "could not convert
    currency") more often than by its deployment name. A core shorter than `min_length`
    letters, or one still holding a hyphen, says too little.
    """
    core = _CONVENTION_SUFFIX.sub("", _CONVENTION_PREFIX.sub("", component))
    if core == component or len(core) < min_length or not core.isalpha():
        return None
    return core.lower()
