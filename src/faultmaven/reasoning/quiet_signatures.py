"""Trouble reported at INFO: lines matched at question time, since reading skips INFO lines.

Built-in signatures are matched while evidence is read, on warnings and worse only. Some
programs report a real limit in an ordinary INFO line: the cluster autoscaler says
`Skipping node group k8s-batch - max size reached` while pods wait Pending for nodes it
will not add; a Kafka consumer whose group's offsets expired while it was stopped says only
`Found no committed offset for partition ...` and starts where auto.offset.reset points;
a keepalived backup that stops hearing its master's adverts says `Receive advertisement
timeout` and takes the virtual IP; Elasticsearch says `updating
[cluster.routing.allocation.enable] from [all] to [none]` when maintenance turns shard
allocation off, which lasts until someone turns it back on (and a bulk loader turns an
index's refresh off with a `_settings` call); a JVM started with a heap past
the compressed-oops limit says `compressed ordinary object pointers [false]` once; a GitOps
controller or CI job reports at INFO (or with no level) that the API server rejected an
object: too large, or an immutable field changed; a Kafka broker logs a topic's retention
override at INFO; KEDA logs at INFO that it scaled a workload to zero, and kube-downscaler
that it scaled one down to zero on its schedule; a RabbitMQ node that
could not reach its peers at start-up warns once that it starts as a blank standalone node;
PostgreSQL says at LOG that checkpoints are occurring too frequently; systemd says once at
boot that a mount's dependency failed (its device never appeared); nginx logs a client
certificate rejected for an expired revocation list at `notice`; a server announces at INFO
that it listens on 127.0.0.1 (kept only when something was refused at its port,
`reasoning.loopback_listeners`).
These are matched with the playbooks, over the case's templates.
"""

import re

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.loopback_listeners import LISTENING_ON_LOOPBACK, LOOPBACK_LISTENER
from faultmaven.reasoning.quiet_cluster_signatures import CLUSTER_QUIET_SIGNATURES
from faultmaven.reasoning.signatures import Signature

# The workload an API rejection is about: the Argo CD application it belongs to, else the
# object the server names (`The Deployment "catalog-api" is invalid`).
_REJECTED_FOR = re.compile(
    r"(?:\bapplication=(?:[\w-]+/)?|\b(?:Deployment|StatefulSet|DaemonSet|Job|CronJob)"
    r" \\?\")([a-z0-9][\w.-]*)"
)

QUIET_SIGNATURES: tuple[Signature, ...] = (
    Signature(
        id="node_group_at_max_size",
        title="Node group at its maximum size",
        category=Category.SCHEDULING,
        statement="The cluster autoscaler cannot add nodes to {component}: the node group is at"
        " its maximum size, so pods that need new nodes stay Pending.",
        patterns=(
            re.compile(r"Skipping node group \S+ - max size reached"),
            re.compile(r"\bmax node group size reached"),
            re.compile(r"Max total nodes in cluster reached"),
            # A scale-up plan that takes the group to exactly its max: `{batch 2->6 (max: 6)}`.
            re.compile(r"\{[\w.-]+ \d+->(\d+) \(max: \1\)\}"),
        ),
        next_steps=(
            (
                "Compare the node group's maximum with what the Pending pods need, and find who"
                " lowered it",
                "The autoscaler stops at the group's maximum; the Pending pods wait for capacity",
                "kubectl -n kube-system logs deploy/cluster-autoscaler | grep -i 'max size'",
            ),
        ),
        weight=0.85,
        causal_rank=2,
        keywords=("max size", "max node group", "max total nodes", "(max: "),
        subject=re.compile(
            r"(?:\bSkipping node group |\{)([\w.-]+)(?: - max size reached| \d+->\d+ \(max)"
        ),
    ),
    Signature(
        id="consumer_offsets_missing",
        title="Consumer group without committed offsets",
        category=Category.CONFIGURATION,
        statement="{component} found no committed offsets for its consumer group (they expired"
        " while it was stopped longer than the brokers' offsets.retention.minutes, or the group"
        " id changed), so it started where auto.offset.reset points: latest silently skips what"
        " was published meanwhile, earliest replays it.",
        patterns=(re.compile(r"\bFound no committed offset for partition \S+"),),
        next_steps=(
            (
                "Compare how long the consumer was stopped with offsets.retention.minutes, and"
                " check auto.offset.reset",
                "Offsets of a group with no members expire after offsets.retention.minutes; the"
                " consumer then starts at latest or earliest",
                "kafka-consumer-groups --bootstrap-server <broker> --describe --group <group>",
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("no committed offset",),
    ),
    Signature(
        id="vrrp_advert_timeout",
        title="VRRP backup stopped hearing its master and took the virtual IP",
        category=Category.NETWORK,
        statement="{component} stopped receiving its VRRP master's advertisements and took over"
        " the virtual IP. If the master is still up (a firewall or security group dropping IP"
        " protocol 112, multicast filtered), both now hold the VIP: a split brain in which"
        " clients' connections flip between them and are reset or time out.",
        patterns=(re.compile(r"\bReceive advertisement timeout\b"),),
        next_steps=(
            (
                "Check whether both balancers hold the virtual IP, and whether VRRP (IP protocol"
                " 112) reaches the backup",
                "Two holders of one VIP answer ARP in turn; a backup that hears no adverts takes"
                " over even though the master is alive",
                "ip -br addr; arping -c 4 <vip>; tcpdump -ni <iface> ip proto 112",
            ),
        ),
        weight=0.75,
        causal_rank=2,
        keywords=("advertisement timeout",),
    ),
    Signature(
        id="shard_allocation_disabled",
        title="Shard allocation turned off",
        category=Category.CONFIGURATION,
        statement="Shard allocation was turned off on {component}"
        " (cluster.routing.allocation.enable), usually for a rolling restart, and left so:"
        " shards of new indices (a daily rollover at midnight) and lost replicas are never"
        " assigned, the cluster turns red and writes to those indices fail.",
        patterns=(
            re.compile(
                r"updating \[cluster\.routing\.(?:allocation|rebalance)\.enable\] from \[\w+\]"
                r" to \[(?:none|primaries|new_primaries)\]"
            ),
        ),
        next_steps=(
            (
                "Check the cluster's allocation setting and turn allocation back on",
                "The allocation explain API names the `enable` decider when the setting blocks"
                " the shards",
                "curl -s localhost:9200/_cluster/settings?flat_settings | grep allocation.enable;"
                " curl -s localhost:9200/_cluster/allocation/explain",
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("allocation.enable", "rebalance.enable"),
        standing=True,
    ),
    Signature(
        id="index_refresh_disabled",
        title="Index refresh turned off and left off",
        category=Category.CONFIGURATION,
        statement="{component} turned an index's refresh off (refresh_interval -1, usually"
        " for a bulk load) and never turned it back on (it failed or was stopped before its"
        " last step): documents written since are stored but never made searchable.",
        # `PUT /products-v7/_settings {"index": {"refresh_interval": "-1", ...}} -> 200`.
        patterns=(re.compile(r"_settings\b.*\"refresh_interval\"\s*:\s*\"?-1\b"),),
        next_steps=(
            (
                "Check the index's refresh_interval and set it back (null restores the"
                " default), then refresh the index",
                "A bulk loader that dies between disabling and restoring refresh leaves the"
                " index unsearchable for new documents",
                "curl -s 'localhost:9200/<index>/_settings/index.refresh_interval?pretty';"
                " curl -XPUT localhost:9200/<index>/_settings -H 'Content-Type:"
                ' application/json\' -d \'{"index":{"refresh_interval":null}}\'',
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("refresh_interval",),
        standing=True,
    ),
    Signature(
        id="heap_without_compressed_oops",
        title="JVM heap above the compressed-oops limit",
        category=Category.MEMORY,
        statement="{component} runs a JVM heap above the ~32 GB limit of compressed object"
        " pointers (compressed ordinary object pointers [false]): every reference takes twice"
        " the space, so the big heap holds less than a 31 GB one would and its collections"
        " take far longer; under load the old generation stays full and the node stalls in GC.",
        patterns=(
            re.compile(r"compressed ordinary object pointers \[false\]"),
            re.compile(r"\bUseCompressedOops\s+= false\b"),
        ),
        next_steps=(
            (
                "Compare the heap size (-Xmx) with the compressed-oops limit and set it below it",
                "Above about 32 GB the JVM turns compressed pointers off; 31 GB or less keeps"
                " them on",
                "curl -s localhost:9200/_nodes/jvm?filter_path=**.using_compressed_ordinary"
                "_object_pointers,**.heap_max_in_bytes",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("compressed ordinary object pointers", "usecompressedoops"),
        standing=True,
    ),
    Signature(
        id="object_too_large",
        title="Object over the API server's size limit rejected",
        category=Category.CONFIGURATION,
        statement="The API server rejects {component}'s new object as too large (a ConfigMap"
        " or Secret holds at most 1 MiB), so the sync or apply fails and the cluster keeps"
        " serving the previous version of it.",
        patterns=(re.compile(r"\bis invalid: .{0,80}Too long: must have at most \d+ bytes"),),
        next_steps=(
            (
                "Measure the object and split it (several ConfigMaps, a volume, or an image)",
                "ConfigMaps and Secrets are capped at 1 MiB; a sync that fails on one keeps the"
                " old content everywhere",
                "kubectl get configmap <name> -o json | wc -c",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("too long: must have at most",),
        subject=_REJECTED_FOR,
    ),
    Signature(
        id="immutable_field_rejected",
        title="Apply rejected: an immutable field changed",
        category=Category.DEPLOYMENT,
        statement="The API server rejected the new {component} (a changed selector or another"
        " immutable field), so it still runs the previous version while the rest of the"
        " release went out as if it had been applied.",
        patterns=(re.compile(r"\bis invalid: .{0,400}\bfield is immutable\b"),),
        next_steps=(
            (
                "Compare the running object with the release's manifest, then recreate it (delete"
                " and apply) or restore the old selector",
                "A selector cannot change in place; the apply fails and a pipeline that ignores"
                " the failure reports success",
                "kubectl get deploy <name> -o jsonpath='{.spec.selector}';"
                " kubectl get rs -l <label>",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("field is immutable",),
        subject=_REJECTED_FOR,
    ),
    Signature(
        id="topic_retention_cut",
        title="Topic retention cut to hours",
        category=Category.CONFIGURATION,
        statement="{component}'s retention was set to a few hours (retention.ms), so the"
        " brokers delete its older segments: consumers that read it later (a nightly job, a"
        " replay, a lagging group) find their offsets gone, reset, and silently miss messages.",
        patterns=(
            # Kafka's dynamic topic override with retention.ms of at most about six hours.
            re.compile(
                r"Processing override for entityPath: topics/\S+ with config: .*"
                r"\bretention\.ms -> (?:\d{1,7}|1\d{7}|2[01]\d{6})\b"
            ),
        ),
        next_steps=(
            (
                "Compare the topic's retention with how late its consumers read it, and restore it",
                "A consumer whose committed offset was deleted resets to earliest or latest and"
                " skips what it never read",
                "kafka-configs --bootstrap-server <broker> --entity-type topics --entity-name"
                " {component} --describe",
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("retention.ms ->",),
        subject=re.compile(r"entityPath: topics/([\w.-]+)"),
        standing=True,
    ),
    Signature(
        id="downscaled_on_schedule",
        title="Workloads scaled to zero on a schedule",
        category=Category.CONFIGURATION,
        statement="{component} scaled workloads down to zero replicas on its schedule (a"
        " default uptime window, which applies to every namespace not excluded, new ones"
        " included): their Services have no endpoints left, so every request to them fails"
        " (503, no healthy upstream) until they are scaled back up.",
        # kube-downscaler: `Scaling down Deployment claims-prod/claims-api from 6 to 0
        # replicas (uptime: Mon-Fri 07:00-19:00 Europe/Berlin, downtime: never)`.
        patterns=(
            re.compile(
                r"\bScaling down (?:Deployment|StatefulSet|CronJob|HorizontalPodAutoscaler)"
                r" \S+ from \d+ to 0 replicas\b"
            ),
        ),
        next_steps=(
            (
                "Exclude the namespace or workload from {component} (its exclude list or the"
                " downscaler/exclude annotation) and scale the workloads back up",
                "The scheduler scales down every namespace it is not told to leave alone",
                "kubectl get deploy -A | awk '$3 == 0'; kubectl get deploy {component} -A -o"
                " yaml | grep -A2 -e UPTIME -e exclude",
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("scaling down",),
    ),
    Signature(
        id="scaled_to_zero",
        title="Workload scaled to zero by its event autoscaler",
        category=Category.CONFIGURATION,
        statement="KEDA scaled {component} down to zero replicas because its trigger reported"
        " no work (a query, queue or topic name that matches nothing reads as 0), so nothing"
        " consumes the real backlog.",
        patterns=(
            re.compile(
                r"Successfully set ScaleTarget replicas count to ScaledObject minReplicaCount"
                r".*\"New Replicas Count\": 0\b"
            ),
        ),
        next_steps=(
            (
                "Run the ScaledObject's trigger query by hand and compare it with the real backlog",
                "A trigger on a renamed or misspelt queue reports zero and scales the consumers"
                " away",
                "kubectl get scaledobject {component} -o yaml;"
                " kubectl get hpa keda-hpa-{component}",
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("minreplicacount",),
        subject=re.compile(r'"scaleTarget\.Name":\s*"([\w.-]+)"'),
    ),
    Signature(
        id="started_outside_cluster",
        title="Node started outside its cluster",
        category=Category.CONFIGURATION,
        statement="{component} could not reach its cluster's peers when it started (an Erlang"
        " cookie that differs from theirs after a rebuild, a wrong peer list, a blocked"
        " distribution port) and came up as a blank standalone node: clients sent to it find"
        " none of the cluster's users, virtual hosts or queues.",
        patterns=(
            re.compile(r"Could not successfully contact any node of: .*Starting as a blank"),
            re.compile(r"Starting as a blank standalone node"),
        ),
        next_steps=(
            (
                "Compare the node's cluster status and Erlang cookie with a healthy member's",
                "A node that never joined serves logins and queues of its own; the others log"
                " 'Invalid challenge reply' for it when the cookies differ",
                "rabbitmqctl cluster_status; md5sum /var/lib/rabbitmq/.erlang.cookie",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("blank standalone node",),
        standing=True,
    ),
    Signature(
        id="checkpoints_too_frequent",
        title="Checkpoints forced every few seconds",
        category=Category.DATABASE,
        statement="{component} fills max_wal_size between checkpoints within seconds, so it"
        " checkpoints back to back: the full-page writes after each one saturate the disks"
        " and commits take seconds (max_wal_size too small for the write load, often lowered"
        " by a configuration change).",
        # Under ten seconds apart: a storm. PostgreSQL warns below checkpoint_warning (30 s),
        # and a checkpoint every 20-odd seconds under a burst is no cause on its own.
        patterns=(re.compile(r"checkpoints are occurring too frequently \(\d seconds? apart\)"),),
        next_steps=(
            (
                "Compare max_wal_size with the WAL the load writes per checkpoint_timeout, and"
                " find who changed it",
                "Requested checkpoints outnumbering timed ones mean max_wal_size, not the"
                " timeout, drives them",
                "psql -c 'SHOW max_wal_size' -c 'SELECT checkpoints_timed, checkpoints_req"
                " FROM pg_stat_bgwriter'",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("checkpoints are occurring too frequently",),
    ),
    Signature(
        id="cpu_powersave",
        title="CPUs held at low frequency by a power-saving profile",
        category=Category.CPU,
        statement="{component}'s CPUs run under a power-saving profile or governor (tuned"
        " powersave, cpufreq powersave), so they are clocked down and every request takes"
        " longer on it than on its peers: often left by a reimage or a kickstart.",
        patterns=(
            re.compile(r"\bProfile '(?:powersave|balanced-battery)' applied\b"),
            re.compile(r"\busing governor 'powersave'"),
            re.compile(r"^Current active profile: powersave\b"),
            re.compile(r'\bThe governor "powersave" may decide\b'),
        ),
        next_steps=(
            (
                "Compare the host's CPU profile and frequency with its peers', and set the"
                " throughput profile",
                "A host at 1 GHz among peers at full clock serves the same requests slower;"
                " the profile survives reboots until changed",
                "tuned-adm active; cpupower frequency-info | grep -E 'governor|current';"
                " tuned-adm profile throughput-performance",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("powersave",),
        standing=True,
    ),
    Signature(
        id="mount_skipped",
        title="Filesystem not mounted at boot",
        category=Category.DISK,
        statement="{component} booted without one of its filesystems (the device fstab names"
        " never appeared: renamed after an instance-type move, detached, or a wrong UUID), so"
        " the mount was skipped and writes meant for that volume land on the root filesystem"
        " until it fills.",
        patterns=(re.compile(r"Dependency failed for [\w@.\\-]+\.mount\b"),),
        next_steps=(
            (
                "Compare the device or UUID fstab names with what lsblk shows, and mount it",
                "NVMe instance types rename /dev/xvdX to /dev/nvmeXn1; a UUID= entry survives"
                " the move, and nofail hides the failure at boot",
                "lsblk -f; grep -v '^#' /etc/fstab; findmnt <mount point>",
            ),
        ),
        weight=0.85,
        causal_rank=1,
        keywords=("dependency failed for",),
        standing=True,
    ),
    Signature(
        id="crl_expired",
        title="Certificate revocation list expired",
        category=Category.TLS,
        statement="The certificate revocation list {component} checks certificates against is"
        " past its nextUpdate (its refresh stopped), so OpenSSL rejects every certificate it"
        " checks (\u201cCRL has expired\u201d).",
        patterns=(
            re.compile(r"\bCRL has expired\b"),
            re.compile(r"\bunable to get certificate CRL\b"),
            re.compile(r"\bCRL is not yet valid\b"),
        ),
        next_steps=(
            (
                "Read the CRL's nextUpdate and find why its refresh stopped",
                "A CRL past nextUpdate fails every check until a fresh one is installed",
                "openssl crl -in <crl file> -noout -lastupdate -nextupdate",
            ),
        ),
        weight=0.92,
        causal_rank=1,
        keywords=("crl",),
    ),
    Signature(
        id=LISTENING_ON_LOOPBACK,
        title="Server listening on loopback only",
        category=Category.CONFIGURATION,
        statement="{component} binds its server to the loopback address (127.0.0.1 or"
        " localhost) instead of all interfaces: it starts and logs that it is listening, but"
        " probes and callers reaching it at its pod or host address are refused.",
        patterns=(LOOPBACK_LISTENER,),
        next_steps=(
            (
                "Set the listen address back to 0.0.0.0 (or the pod IP) and restart",
                "Inside a pod, 127.0.0.1 is reachable only from the pod's own containers",
                "kubectl exec <pod> -- ss -ltnp",
            ),
        ),
        weight=0.9,
        causal_rank=1,
        keywords=("127.0.0.1", "localhost", "[::1]"),
        standing=True,
    ),
    *CLUSTER_QUIET_SIGNATURES,
)
