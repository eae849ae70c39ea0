"""Name series as PromQL prints them, and the service or host each series is about."""

import json
import re
from collections.abc import Mapping

from faultmaven.domain.workloads import workload_name

# Labels that name the workload, most specific first.
_COMPONENT_LABELS = ("service", "service_name", "app", "app_kubernetes_io_name", "job",
                     "container", "pod", "node", "nodename", "kubernetes_node", "hostname",
                     "host", "instance")  # fmt: skip
# Scrape jobs of exporters that report on other workloads: their series name those elsewhere.
_EXPORTER_JOBS = frozenset(
    {"kubelet", "cadvisor", "kube-state-metrics", "node-exporter", "node", "blackbox",
     "blackbox-exporter"}
)  # fmt: skip
_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"')
_SERIES = re.compile(r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)?\s*\{(.*)\}\s*$", re.DOTALL)
_TOKEN_SPLIT = re.compile(r"[_.:/\s{]+")
# Leading words of column names that name what is measured, not where.
_MEASURE_WORDS = frozenset(
    {"value", "values", "series", "total", "sum", "count", "avg", "average", "mean", "min",
     "max", "median", "rate", "irate", "increase", "latency", "duration", "cpu", "memory",
     "mem", "heap", "disk", "requests", "request", "errors", "error", "http", "grpc", "go",
     "process", "node", "container", "up", "time", "timestamp", "p50", "p90", "p95", "p99",
     "p999", "kube", "jvm", "net", "network", "io", "tcp", "udp", "ip", "packet", "packets",
     "socket", "sockets", "retransmits", "gc", "threads", "thread", "fd", "fds", "open",
     "goroutines", "queue", "load", "swap", "inode", "inodes", "fs", "filesystem", "rss",
     "diskio", "blkio", "iops", "iowait", "workload", "throughput", "qps", "rps", "tps",
     "bytes", "reads", "writes", "read", "write", "rx", "tx", "usage", "utilization", "util",
     "used", "free", "available", "connections", "conns", "sessions", "lag", "bandwidth",
     "pct", "percent", "pgscan", "pgsteal", "pgfault", "pgmajfault", "steal", "softirq", "mb",
     "kb", "gb"}
)  # fmt: skip


def promql_name(labels: Mapping[str, str]) -> str:
    """Print a label set the way PromQL does: `name{a="x", b="y"}`, labels sorted."""
    name = labels.get("__name__", "")
    pairs = sorted((key, value) for key, value in labels.items() if key != "__name__")
    if not pairs:
        return name or "{}"
    inner = ", ".join(f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in pairs)
    return f"{name}{{{inner}}}"


def parse_series_name(text: str) -> dict[str, str] | None:
    """Return the labels of a PromQL-printed series name (`up{job="api"}`), else None."""
    match = _SERIES.match(text)
    if not match:
        return None
    labels = {key: _unescape(value) for key, value in _LABEL.findall(match[2])}
    if match[1]:
        labels["__name__"] = match[1]
    return labels


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda found: {"n": "\n", "t": "\t"}.get(found[1], found[1]), value)


def component_of_labels(labels: Mapping[str, str]) -> str | None:
    """Return the service or host a labelled series is about, None when no label names one.

    Labels in order: `service`, `service_name`, `app`, `app_kubernetes_io_name`, `job` (unless
    an exporter's job such as `kubelet` or `kubernetes-pods`), `container` (not `POD`), `pod`
    without its generated suffix, the node or host (`node`, `nodename`, `kubernetes_node`,
    `hostname`, `host`), the `instance` host without its port.
    """
    for key in _COMPONENT_LABELS:
        value = labels.get(key, "").strip()
        if not value or (key == "container" and value == "POD"):
            continue
        if key == "job" and (value in _EXPORTER_JOBS or value.startswith("kubernetes-")):
            continue
        if key == "pod":
            return workload_name(value)
        if key == "instance":
            return _host(value)
        return value
    return None


def _host(instance: str) -> str | None:
    if instance.startswith("["):
        end = instance.find("]")
        if end <= 0:
            return None
        return instance[1:end] or None
    host = instance.rsplit(":", 1)[0] if instance.count(":") == 1 else instance
    return host or None


def component_of_column(name: str) -> str | None:
    """Return the service a CSV column is about: its labels, else its leading name token.

    `checkout_p99_latency_ms` -> `checkout`; `db.connections` -> `db`; a token that names a
    measure (`p99_latency`, `Value`) gives None.
    """
    labels = parse_series_name(name)
    if labels is not None:
        return component_of_labels(labels)
    tokens = [token for token in _TOKEN_SPLIT.split(name.strip()) if token]
    if not tokens:
        return None
    token = workload_name(tokens[0])
    if token.lower() in _MEASURE_WORDS or not re.match(r"^[A-Za-z][\w-]*$", token):
        return None
    return token
