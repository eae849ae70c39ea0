"""Changes before trouble: deploys, configuration and flag changes, schema changes.

The first question an on-call engineer asks is "what changed?". A release, a flipped
flag, a reloaded configuration or a dropped index is usually logged quietly at INFO, and
it is the cause when errors begin soon after it. These signatures recognise such lines;
the ranking keeps one only when trouble follows it closely, so the routine changes of a
healthy period are not blamed.
"""

import re
from collections.abc import Collection
from datetime import timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.failed_starts import MOUNT_KEEPS_SERVICE_DOWN
from faultmaven.reasoning.signatures import NextStepTemplate, Signature

# Trouble must begin this soon after a change for the change to be suspected.
CHANGE_WINDOW = timedelta(minutes=30)
# A message logged more often than this is routine, not a change.
MAX_CHANGE_LINES = 12

_DEPLOY_STEPS: tuple[NextStepTemplate, ...] = (
    (
        "Compare the failing version with the last good one and roll back if the errors began"
        " with it",
        "Errors that start right after a release are most often caused by it",
        "kubectl rollout history deployment/{component}",
    ),
)
_CONFIG_STEPS: tuple[NextStepTemplate, ...] = (
    (
        "Diff the configuration (flags, environment, config maps) before and after the change"
        " and revert it",
        "Errors that start right after a configuration change are most often caused by it",
        None,
    ),
)
_SCHEMA_STEPS: tuple[NextStepTemplate, ...] = (
    (
        "Check the query plans of the slow or failing statements against the changed schema",
        "A dropped or changed index turns fast lookups into sequential scans",
        None,
    ),
)


def _change(
    id: str,
    title: str,
    category: Category,
    statement: str,
    patterns: tuple[str, ...],
    steps: tuple[NextStepTemplate, ...],
) -> Signature:
    return Signature(
        id=id,
        title=title,
        category=category,
        statement=statement,
        patterns=tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns),
        next_steps=steps,
        # Circumstantial: below a specific failure seen directly, above symptoms and
        # unrecognised errors.
        weight=0.55,
        causal_rank=3,
        is_change=True,
    )


CHANGE_SIGNATURES: tuple[Signature, ...] = (
    _change(
        "change_release",
        "Release shortly before the errors",
        Category.DEPLOYMENT,
        "A release of {component} shortly before the errors began is the likely cause.",
        (
            r"\b(?:deploy(?:ed|ing)|roll(?:ed|ing) out|rollout of|releas(?:ed|ing)|upgrad(?:ed|ing)"
            r"|rolled back)\b.{0,80}\b(?:v?\d+\.\d+(?:\.\d+)?\b|version|image|revision|build)",
            r"\bversion\s+v?\d\S*\s*(?:->|→|=>|to)\s*v?\d",
            r"\b(?:loaded|activated|switched to)\s+(?:new\s+)?(?:model|bundle|plugin|ruleset)\b"
            r".{0,60}\bv?\d",
            r"\b(?:Scaled (?:up|down) replica set|Successfully pulled image)\b",
            r"\bv?\d+\.\d+(?:\.\d+)?\s*(?:->|→|=>)\s*v?\d+\.\d+",
        ),
        _DEPLOY_STEPS,
    ),
    _change(
        "change_restart",
        "Restart on a new version shortly before the errors",
        Category.DEPLOYMENT,
        "{component} restarted on a new version shortly before the errors began; the new"
        " version is the likely cause.",
        (
            r"\b(?:[Ss]tarting|[Ss]tarted)\s+\S+\s+(?:version\s+)?v\d+\.\d+",
            r"\b(?:[Ss]tarting|[Ss]tarted|[Bb]ooting)\b.{0,60}\b[a-z][\w-]*[ @:/]v?\d+\.\d+\.\d+\b",
            r"\b[a-z][\w-]*[ @]v?\d+\.\d+\.\d+\b.{0,20}\b(?:starting|started|booting)\b",
            # A start-up line announcing the build: `version=0.3.6 commit=7be2c1f0`.
            r"\bversion[=:]\s*\"?v?\d+\.\d+[\w.+-]*\"?[\s,]+(?:git_?)?(?:commit|sha|revision)[=:]",
        ),
        _DEPLOY_STEPS,
    ),
    _change(
        "change_migration",
        "Schema migration shortly before the errors",
        Category.DEPLOYMENT,
        "A schema migration run shortly before the errors began left the database and"
        " {component}'s code out of step.",
        (
            r"\b(?:appl(?:y|ying|ied)|running|ran|migrat(?:ing|ed))\b.{0,40}\bmigrations?\b",
            r"\bmigration\s+V?\d+\b",
            r"\bRunning upgrade \S+ -> \S+",
            r"\bALTER\s+TABLE\b.{0,80}\b(?:DROP|RENAME|ALTER)\s+COLUMN\b",
        ),
        _SCHEMA_STEPS,
    ),
    _change(
        "change_db_setting",
        "Database-wide setting changed shortly before the errors",
        Category.CONFIGURATION,
        "A setting changed for a whole database, role or server in {component} (ALTER"
        " DATABASE/ROLE/SYSTEM ... SET, SET GLOBAL) shortly before the errors began now applies"
        " to every new session: the likely cause.",
        (
            r"\bALTER\s+(?:DATABASE|ROLE|USER|SYSTEM)\b[^;]{0,80}?\bSET\s+\w+",
            r"\bSET\s+(?:GLOBAL|PERSIST)\s+\w+\s*=",
        ),
        _SCHEMA_STEPS,
    ),
    _change(
        "change_index",
        "Index dropped shortly before the errors",
        Category.DATABASE,
        "An index was dropped or rebuilt shortly before the errors began, so queries that"
        " used it became slow.",
        (r"\b(?:DROP|REINDEX)\s+INDEX\b",),
        _SCHEMA_STEPS,
    ),
    _change(
        "change_stopped",
        "Service stopped shortly before the errors",
        Category.DEPENDENCY,
        "{component} shut down or was killed shortly before the errors began, so everything"
        " that depends on it failed.",
        (
            r"\bReceived (?:SIGTERM|SIGINT|SIGQUIT|SIGKILL)\b",
            r"\breceived (?:fast|smart|immediate) shutdown request\b",
            r"\bdatabase system is shut down\b",
            r"\b(?:ready to exit|shutting down|shutdown complete|stopping (?:server|service))\b",
            r"\b(?:exited|terminated|killed) (?:with|by) (?:code|status|signal) (?:[1-9]|SIG)",
            r"\bMain process exited, code=(?:killed|exited), status=(?:[1-9]|\d{2}|KILL)",
        ),
        (
            (
                "Find out why {component} stopped and bring it back",
                "A dependency that went away takes down everything that calls it",
                "systemctl status {component}",
            ),
        ),
    ),
    _change(
        "change_heavy_job",
        "Heavy job started shortly before the errors",
        Category.CPU,
        "A heavy job in {component} started shortly before the errors and took the shared"
        " resources (CPU, disk, memory) the others needed.",
        (
            r"\b(?:start(?:ing|ed)?|launch(?:ing|ed)|kick(?:ing|ed) off|running)\b.{0,40}"
            r"\b(?:rebuild|reindex|backfill|bulk (?:load|import)"
            r"|full (?:history|export|scan|backup)|compaction|vacuum full"
            r"|batch (?:job|export|import))\b",
            r"\b(?:export|import|backup|rebuild|backfill) (?:job )?\S+ started\b.{0,60}\b(?:full"
            r"|history|all|entire)\b",
        ),
        (
            (
                "Pause or throttle the job in {component} and watch the errors",
                "A job that takes a shared resource is the usual noisy neighbour",
                None,
            ),
        ),
    ),
    _change(
        "change_resolver",
        "Name resolution configuration changed shortly before the errors",
        Category.DNS,
        "The name resolution configuration of {component} (resolver, search domains, hosts)"
        " changed shortly before lookups began to fail.",
        (
            r"(?:/etc/resolv\.conf|resolved\.conf|/etc/netplan/|dhclient\.conf|nsswitch\.conf"
            r"|/etc/hosts\b).{0,300}?(?:\bInvoked with\b|\bchanged\b|\bupdated\b|\bwrote\b"
            r"|\bmodified\b|\bcopied\b|\bapplied\b)",
            r"(?:\bInvoked with\b|\bchanged\b|\bupdated\b|\bwrote\b|\bmodified\b|\bcopied\b"
            r"|\bapplied\b).{0,300}?(?:/etc/resolv\.conf|resolved\.conf|/etc/netplan/"
            r"|dhclient\.conf|nsswitch\.conf|/etc/hosts\b)",
        ),
        (
            (
                "Compare the resolver configuration before and after the change"
                " (`resolvectl status`, /etc/resolv.conf) and revert it",
                "Lookups that fail right after the resolver was reconfigured are most often"
                " caused by it",
                "resolvectl status",
            ),
        ),
    ),
    _change(
        "change_dns_record",
        "DNS record deleted shortly before lookups failed",
        Category.DNS,
        "A record was deleted from a zone on {component} shortly before lookups of it began"
        " to fail; resolvers that asked meanwhile cache the negative answer (NXDOMAIN) for up"
        " to the zone's SOA minimum, so the name stays missing for them even after it is"
        " added back.",
        (r"updating zone '[^']+': deleting (?:rrset|an RR) at '[^']+'",),
        (
            (
                "Check the record on the authoritative server, then flush it from the resolvers'"
                " caches",
                "A resolver keeps an NXDOMAIN for the SOA minimum (the last SOA field) even after"
                " the record returns",
                "dig +norecurse <name> @<authoritative>; rndc flushname <name>",
            ),
        ),
    ),
    _change(
        "change_tmp_cleanup",
        "Temporary files cleaned shortly before the errors",
        Category.CONFIGURATION,
        "{component}'s temporary-file cleanup (systemd-tmpfiles-clean, tmpwatch) ran shortly"
        " before the errors: it deleted files in /tmp older than its age limit, among them the"
        " unix sockets, PID and lock files that long-running services created there and still"
        " need.",
        (
            r"\b(?:Starting|Finished) systemd-tmpfiles-clean\.service\b",
            r"\btmp(?:watch|reaper)\b",
        ),
        (
            (
                "Check which files the cleanup removed and move the services' sockets out of /tmp"
                " (/run/<service>/, RuntimeDirectory=) or exclude them in tmpfiles.d",
                "A socket or PID file older than the age limit is deleted though its service"
                " still runs; restarting the service recreates it",
                "systemd-tmpfiles --cat-config | grep -v '^#'; ls -l /tmp",
            ),
        ),
    ),
    _change(
        "change_config",
        "Configuration change shortly before the errors",
        Category.CONFIGURATION,
        "A configuration change in {component} shortly before the errors began is the likely"
        " cause.",
        (
            r"\b(?:config(?:uration)?|settings|ConfigMap)\b.{0,60}\b(?:reloaded|changed|updated"
            r"|applied|modified)\b",
            r"\bflag\b.{0,80}\b(?:changed|enabled|disabled|switched|rollout|turned (?:on|off))\b",
            r"\bflag\b.{0,60}(?:=\s*(?:true|false|on|off)\b|(?:->|→)\s*\S+)",
            # A setting left empty, not a request or message with an empty field.
            r"^(?!.*\b(?:request|message|payload|record|event|input|order)s?\b.{0,20}"
            r"\b(?:with|has|had)\b).*?\b(?:not set|is missing|missing|empty)\b.{0,60}"
            r"\b(?:fall(?:ing)? ?back|using default|defaulting)\b",
            r"\bfall(?:ing)? ?back to (?:the )?default\b",
            r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b (?:is )?(?:not set|unset|missing|empty)\b",
            r"\bReloaded\s+[\w@.-]+\.service\b",
            # Configuration management rewriting a service's file (Puppet, Chef).
            r"\bFile\[/etc/[^\]]+\]/content: content changed\b",
            r"\bupdate content in file /etc/\S+ from\b",
            r"--- /etc/\S+\s.*\+\+\+ \S+",  # the diff it prints on one line
        ),
        _CONFIG_STEPS,
    ),
)
CHANGE_SIGNATURES_BY_ID = {signature.id: signature for signature in CHANGE_SIGNATURES}
# A heavy job is named after the shared resource whose failure it explains.
# A migration that rewrites a table is named after the locks it takes.
ADOPTS_CATEGORY: dict[str, frozenset[Category]] = {
    "change_heavy_job": frozenset({Category.DISK, Category.MEMORY}),
    "change_migration": frozenset({Category.DATABASE}),
}
# Failures that name what a change did when they follow it: consumers rejecting records after
# a producer's release show the release changed the records' format (a schema error in SQL
# after a release is the release's own mismatch with the database, and stays a bad release).
ADOPTS_FROM: dict[str, frozenset[str]] = {
    "change_release": frozenset({"message_schema_mismatch", "health_check_wrong_code"}),
    "change_restart": frozenset({"message_schema_mismatch", "health_check_wrong_code"}),
}
# Failures of another component a release explains when they name the released service: a
# load balancer whose checks of that service's servers began to get a 4xx after it started.
EXPLAINS_NAMING: dict[str, frozenset[str]] = {
    "change_release": frozenset({"health_check_wrong_code"}),
    "change_restart": frozenset({"health_check_wrong_code"}),
}
# What a change that adopted a category did, when its own statement would mislead.
_SHIPPED_BUG = (
    "{component} restarted on a new version shortly before the errors began, and the errors"
    " that followed are failures of code (its own, or its callers' rejecting what it now"
    " answers), not of reaching it: a bug shipped in the release."
)
_CHANGED_FORMAT = (
    "{component} restarted on a new version shortly before the errors began, and what it now"
    " sends no longer matches the schema its consumers expect (a renamed, missing or retyped"
    " field)."
)
_ANSWERS_CHECKS_DIFFERENTLY = (
    "{component} restarted on a new version shortly before its load balancer's health checks"
    " began to fail: the new version answers the check with a client error or a redirect (it"
    " validates the Host header the check does not send, or moved or protected the health"
    " path), so the balancer marks each upgraded server down though it serves requests."
)
ADOPTED_STATEMENTS: dict[tuple[str, Category], str] = {
    ("change_release", Category.CONFIGURATION): _ANSWERS_CHECKS_DIFFERENTLY,
    ("change_restart", Category.CONFIGURATION): _ANSWERS_CHECKS_DIFFERENTLY,
    ("change_release", Category.CODE_ERROR): _SHIPPED_BUG,
    ("change_restart", Category.CODE_ERROR): _SHIPPED_BUG,
    ("change_release", Category.DATA): _CHANGED_FORMAT,
    ("change_restart", Category.DATA): _CHANGED_FORMAT,
    ("change_migration", Category.DATABASE): "A schema migration run in {component} shortly"
    " before the errors took locks (or rewrote a table) that blocked the application's queries.",
    ("mount_skipped", Category.CONFIGURATION): MOUNT_KEEPS_SERVICE_DOWN,
}
# The failures each kind of change typically causes: one of them beginning within the change
# window after the change is the change's consequence, not a cause of its own.
EXPLAINS: dict[str, frozenset[Category]] = {
    "change_release": frozenset({Category.CODE_ERROR, Category.DATA, Category.DEPLOYMENT}),
    "change_restart": frozenset({Category.CODE_ERROR, Category.DATA, Category.DEPLOYMENT}),
    "change_migration": frozenset({Category.DATA, Category.DATABASE, Category.CODE_ERROR}),
    "change_index": frozenset({Category.DATABASE, Category.NETWORK}),
    # Sessions opened after it run with the new isolation level, timeout or limit.
    "change_db_setting": frozenset({Category.DATABASE, Category.CONFIGURATION}),
    "change_config": frozenset({Category.CONFIGURATION, Category.PERMISSION, Category.DEPENDENCY}),
    "change_stopped": frozenset({Category.DEPENDENCY, Category.NETWORK}),
    "change_resolver": frozenset({Category.DNS}),
    "change_dns_record": frozenset({Category.DNS}),
    "change_tmp_cleanup": frozenset({Category.DEPENDENCY, Category.CONFIGURATION}),
    "change_heavy_job": frozenset(
        {Category.CPU, Category.DISK, Category.MEMORY, Category.NETWORK, Category.DATABASE}
    ),
}
_SUBJECT = re.compile(
    r"\b(?:rollout|roll(?:ing|ed) out|deploy(?:ing|ed)?|releas(?:e|ing|ed)|upgrad(?:e|ing|ed))"
    r"\s+(?:of\s+)?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\s+(?:to\s+|version\s+)?v?\d",
    re.IGNORECASE,
)


# systemd reloading a unit: the unit's service took a new configuration.
_RELOADED_UNIT = re.compile(r"\bReloaded\s+([a-z][\w.-]*?)(?:@[\w.-]*)?\.service\b")
# A configuration file rewritten by configuration management: `/etc/memcached.conf` is
# memcached's, `/etc/nginx/nginx.conf` nginx's.
_MANAGED_FILE = re.compile(
    r"(?:\bFile\[|\bupdate content in file |--- )/etc/([a-z][a-z0-9-]*?)"
    r"(?:\.conf|\.cnf|\.ya?ml)?[/\]\s]"
)


# A feature flag named under a service: `flag checkout.tax-engine-v2 changed`.
_FLAG_OWNER = re.compile(r"\bflag\s+[\"'`]?([a-z][a-z0-9]*(?:-[a-z0-9]+)*)[./:][\w.-]+")


def change_subject(text: str, services: Collection[str] = ()) -> str | None:
    """Return the service a change line names: a release, a reloaded unit or a flag's owner.

    `rollout orders-api 2.13.2 -> 2.14.0` -> `orders-api`; `Reloaded haproxy.service` ->
    `haproxy`; `flag checkout.tax-engine-v2 changed` -> `checkout` when `checkout` is one of
    the case's `services` (a flag's prefix is not always a service's name).
    """
    found = _SUBJECT.search(text) or _RELOADED_UNIT.search(text) or _MANAGED_FILE.search(text)
    if found:
        return found.group(1)
    flag = _FLAG_OWNER.search(text)
    return flag.group(1) if flag and flag.group(1) in services else None
