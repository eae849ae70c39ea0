"""Name the service a log line is about."""

import re

from faultmaven.domain.service_names import (
    DATABASE_SERVERS,
    GENERIC_STEMS,
    PROGRAM_NAMES,
    evidence_stem,
    is_dns_server,
)
from faultmaven.domain.workloads import workload_name

_FIELD = re.compile(
    r'"(?:service|service\.name|service_name|app|application|component)"\s*(?::|=>)\s*"([^"]{1,100})"'
    r"|\b(?:service|service\.name|service_name|app|application|component)"
    r"=[\"']?([\w.\-/]{1,100})"
)
# Elasticsearch's ECS JSON logs put the same `"service.name": "ES_ECS"` on every node of
# every cluster: the cluster's name (`"elasticsearch.cluster.name": "es-logs"`) names it.
_PLACEHOLDER_SERVICES = frozenset({"ES_ECS"})
# Elasticsearch's plain log: `[time][LEVEL][logger   ] [node-name] message`; the node the line
# is about (a data node stalled in GC) is named in every line.
_ES_NODE = re.compile(r"^\[\d{4}-\d\d-\d\dT[\d:.,]+\]\[[A-Z]+\s*\]\[[\w.$]+\s*\] \[([\w.-]+)\]")
_ES_CLUSTER = re.compile(r'"elasticsearch\.cluster\.name"\s*:\s*"([^"]{1,100})"')
_POD = re.compile(
    r'\bpod(?:_name|Name)?"?\s*[=:]\s*"?(?:[\w.-]+/)?([a-z0-9][a-z0-9.-]{0,100})'
    r"|\bpods?/([a-z0-9][a-z0-9.-]{0,100})"
    r"|\bPod\s+\"?(?:[\w.-]+/)?([a-z0-9][a-z0-9.-]{0,100})"
)
_SYSLOG_PROGRAM = re.compile(
    r"(?:<\d{1,3}>)?"
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
    r"\s+([\w.-]+)\s+([\w./-]+?)(?:\[\d+\])?:\s"
)
# Node agents report about the node they run on: their messages belong to the host, as do a
# time daemon's (a clock is the host's). So do configuration management runs
# (`ansible-ansible.legacy.copy`, `puppet-agent`): they change the host they run on, and
# keepalived (`Keepalived_vrrp`), which moves the host's virtual addresses, and a host's own
# DNS forwarder (dnsmasq, systemd-resolved): the clients pointed at it know it by the host.
# Hardware monitors (smartd, mdadm, mcelog, rasdaemon, multipathd) report the host's devices;
# cron failing to start a job (`CRON[931102]: ... Cannot allocate memory`) reports the host;
# so do the CPU's power tuning (tuned, thermald, irqbalance).
_HOST_PROGRAMS = frozenset(
    {"kernel", "systemd", "init", "kubelet", "containerd", "dockerd", "crio", "kube-proxy",
     "chronyd", "ntpd", "systemd-timesyncd", "ntpdate", "openntpd", "dnsmasq",
     "systemd-resolved", "smartd", "mdadm", "mcelog", "rasdaemon", "multipathd", "CRON", "cron",
     "crond", "anacron", "mount", "systemd-fsck", "tuned", "thermald", "irqbalance"}
)  # fmt: skip
_HOST_PROGRAM_PREFIXES = (
    "ansible", "puppet", "chef-client", "salt-minion", "cloud-init", "Keepalived", "keepalived"
)  # fmt: skip
# A mail server's daemons (`postfix/smtp`, `postfix/qmgr`, `postfix/smtpd`) are one service,
# the host's mail system: the host names it, not whichever daemon logged.
_HOST_DAEMON_FAMILIES = ("postfix/",)
# A language runtime names no service: `java[28592]: ... --- [settlement-worker] [main]` is
# the settlement worker, which Spring Boot names in brackets.
_RUNTIMES = frozenset(
    {"java", "python", "python3", "node", "nodejs", "ruby", "php", "php-fpm", "dotnet", "perl"}
)
# `[orders-api]` near the start of a line in a generically named file (`app.log`): a service
# logging its own name. Only hyphenated words of letters: thread names such as `[main]` or
# `[pool-1-thread-3]` are not services.
_BRACKETED_SERVICE = re.compile(r"\[([a-z][a-z]*(?:-[a-z]+)+)\]")


# A `component` field holding a logger's class (`o.e.c.r.a.DiskThresholdMonitor` in
# Elasticsearch's JSON logs, `org.apache.kafka.clients.NetworkClient`) names code, not a service.
_LOGGER_CLASS = re.compile(r"^(?:[a-z]\w*\.)+[A-Z]\w*$")


# CoreDNS's own lines, whatever the file is called (`kubectl logs coredns-5d78c-w7k4p` saved
# as `pod-w7k4p.txt`): `[ERROR] plugin/errors: ...`, `[INFO] plugin/reload: ...`, the
# `CoreDNS-1.11.1` banner and the query log's `[INFO] 10.244.0.5:4332 - 1234 "A IN ...`.
_COREDNS_LINE = re.compile(
    r"^(?:\S+Z )?(?:\[(?:INFO|ERROR|WARNING|DEBUG|FATAL)\] "
    r"(?:plugin/[a-z0-9_]+[:/ ]|[\d.:a-f\[\]]+ - \d+ \"[A-Z0-9]+ IN )|CoreDNS-\d)"
)
COREDNS = "coredns"


def _first_group(match: re.Match[str]) -> str:
    """Return the first alternative of a match that took part in it."""
    return next(group for group in match.groups() if group)


def component_of(evidence_name: str, text: str) -> str | None:
    """Return the service a line is about.

    In order: CoreDNS's own line format (whatever the file's name), the node an
    Elasticsearch line names, an explicit
    `service=`/`app=`/`"service":` field (except in a database server's own log, where
    `app=` names the client connected, and except a logger's class name), a Kubernetes
    pod name without its generated suffix, the syslog program (the host for kernel,
    time-daemon and mail-server messages; the service a runtime such as `java` logs in
    brackets), else the evidence file name's stem, unless that is generic (`app.log`) and
    the line names its service in brackets (`[orders-api]`).
    """
    stem = evidence_stem(evidence_name)
    coredns_like = "]" in text[:60] or "CoreDNS" in text[:40]
    if coredns_like and (stem is None or not is_dns_server(stem)) and _COREDNS_LINE.match(text):
        return COREDNS
    node = _ES_NODE.match(text) if text.startswith("[") else None
    if node:
        return node.group(1)
    if ("=" in text or '"' in text) and stem not in DATABASE_SERVERS:
        for field in _FIELD.finditer(text):
            value = _first_group(field)
            if value in _PLACEHOLDER_SERVICES:
                cluster = _ES_CLUSTER.search(text)
                if cluster:
                    return cluster.group(1)
            elif not _LOGGER_CLASS.match(value):
                return value
    if "od" in text:
        pod = _POD.search(text)
        if pod:
            return workload_name(_first_group(pod).rstrip(".-"))
    syslog = _SYSLOG_PROGRAM.match(text)
    if syslog:
        return _syslog_component(syslog, text, evidence_name, stem)
    if stem is None or stem.lower() in GENERIC_STEMS:
        named = _BRACKETED_SERVICE.search(text[:200])
        if named:
            return named.group(1)
    return stem


def _syslog_component(
    syslog: re.Match[str], text: str, evidence_name: str, stem: str | None
) -> str:
    """Name the service of a syslog line from its host and program (see `component_of`)."""
    host, program = syslog.groups()
    if program.startswith(_HOST_DAEMON_FAMILIES):
        return host
    program = program.rsplit("/", 1)[-1]
    if program in _HOST_PROGRAMS or program.startswith(_HOST_PROGRAM_PREFIXES):
        return host
    if program in _RUNTIMES:
        named = _BRACKETED_SERVICE.search(text, syslog.end(), syslog.end() + 200)
        if named:
            return named.group(1)
    if stem and _is_instance_log_of(evidence_name, stem, program):
        return stem
    return PROGRAM_NAMES.get(program, program)


def _is_instance_log_of(evidence_name: str, stem: str, program: str) -> bool:
    """Tell whether a file is one instance's log of this program (`lb-02-haproxy`).

    Its lines are that instance's: the balancer lb-02, not haproxy in general. So are those
    of the program's log in the instance's own folder (`tp-edge-01/haproxy.log`).
    """
    folder, _, name = evidence_name.replace("\\", "/").lower().rpartition("/")
    in_own_folder = folder.rsplit("/", 1)[-1] == stem.lower() and name.startswith(program.lower())
    return stem != program and (
        in_own_folder
        or any(name.startswith(f"{stem}{separator}{program}".lower()) for separator in "-_")
    )
