"""Built-in failure signatures: the messages real software writes when a known cause strikes."""

import re
from dataclasses import dataclass, replace

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.peers import SERVER_OF_SIGNATURE

NextStepTemplate = tuple[str, str, str | None]
# A warning that the call then succeeded (`timed out after 1315ms, retry 1 of 3 succeeded`).
RETRY_SUCCEEDED = r"\bretry\b[^,;.]{0,20}\bsucceeded\b"


@dataclass(frozen=True, slots=True)
class Signature:
    """A known failure: how to recognise its lines, what it means and what to do.

    `statement` and the step commands may contain `{component}`. `weight` (0..1) is how
    specific and strong a match is; `causal_rank` is lower for root causes (disk full,
    OOM) than for symptoms (timeouts, 5xx). `keywords` are lower-case words of which every
    matching line contains at least one: a cheap gate before the regexes (none: always try).
    """

    id: str
    title: str
    category: Category
    statement: str
    patterns: tuple[re.Pattern[str], ...]
    next_steps: tuple[NextStepTemplate, ...]
    weight: float
    causal_rank: int
    keywords: tuple[str, ...] = ()
    remote: bool = False
    """The failure lives at the far end the line names (a refused or timed-out peer)."""
    is_change: bool = False
    """The line records a change (release, configuration); suspect only if trouble follows."""
    measured: bool = False
    """The signature reads metric samples, placed in time only to within a sampling interval."""
    snapshot: bool = False
    """The signature reads a pasted command's output: a table of one moment, with no time."""
    placed_statement: str | None = None
    """The statement once a remote failure is placed at its peer; may contain `{reporter}`."""
    subject: re.Pattern[str] | None = None
    """Where a line names the thing the failure is about (a unit, a table): its group 1."""
    standing: bool = False
    """The line reports a limit set at start-up that lasts until load reaches it: having
    begun long before the trouble does not make it background."""
    acts_on_others: bool = False
    """The line is a controller reporting what it did to objects it names (pods it
    evicted): the failure is the controller's, whatever pods the line names."""

    @property
    def is_symptom(self) -> bool:
        """Tell whether lines of this signature usually report a consequence, not a cause."""
        return self.causal_rank >= SYMPTOM_RANK

    def matches(self, text: str, lowered: str | None = None) -> bool:
        """Tell whether a line matches any of the signature's patterns."""
        if self.keywords:
            lowered = text.lower() if lowered is None else lowered
            if not any(keyword in lowered for keyword in self.keywords):
                return False
        return any(pattern.search(text) for pattern in self.patterns)


SYMPTOM_RANK = 4


def _signature(
    id: str,
    title: str,
    category: Category,
    statement: str,
    patterns: tuple[str, ...],
    next_steps: tuple[NextStepTemplate, ...],
    weight: float,
    causal_rank: int,
    keywords: str,
) -> Signature:
    """Build a Signature, compiling its patterns; `keywords` are separated by `|`."""
    compiled = tuple(re.compile(pattern) for pattern in patterns)
    words = tuple(keywords.split("|"))
    return Signature(
        id, title, category, statement, compiled, next_steps, weight, causal_rank, words
    )


# fmt: off
BUILTIN_SIGNATURES: tuple[Signature, ...] = (
    _signature(
        # Weighed above "oom": Java reports this limit as an OutOfMemoryError, memory free.
        "thread_limit_reached", "Process or thread limit reached", Category.CONFIGURATION,
        "{component} cannot start more threads or processes: it reached a limit on tasks (the"
        " pod's pids cgroup set by the kubelet's podPidsLimit, systemd's TasksMax, ulimit -u),"
        " not memory, so thread creation fails (Java's \u201cunable to create native"
        " thread\u201d) while memory is free.",
        (r"unable to create (?:new )?native thread", r"fork rejected by pids controller",
         r"pthread_create failed \(EAGAIN\)",
         r"(?:fork|clone|pthread_create)(?: failed)?: (?:retry: )?Resource temporarily"
         r" unavailable"),
        (("Compare the process's thread count with its task limit",
          "pids.current at pids.max (or TasksMax, ulimit -u) confirms the limit, not memory",
          "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids.current; ls /proc/<pid>/task | wc -l"),
         ("Raise the limit (podPidsLimit, TasksMax, nproc) or cut the threads the service starts",
          "A thread pool sized to the CPU count grows with a larger machine", None)),
        0.96, 1,
        "native thread|pids controller|pthread_create|resource temporarily unavailable",
    ),
    _signature(
        "oom", "Out of memory", Category.MEMORY,
        "{component} ran out of memory and processes were killed or allocations failed.",
        (r"Out of memory: Kill(?:ed)? process", r"\boom-kill(?:er)?\b", r"\boom_reaper\b",
         r"java\.lang\.OutOfMemoryError", r"(?<![\w.])MemoryError\b", r"Cannot allocate memory",
         r"\bOOMKilled\b", r"OOM command not allowed", r"JavaScript heap out of memory",
         r"fatal error: runtime: out of memory", r"(?i)memory cgroup out of memory",
         r"\bENOMEM\b", r"memory resource limit alarm set"),
        (("Check memory limits and recent OOM kills",
          "Confirms which process was killed and how close usage was to the limit",
          "kubectl describe pod -l app={component} | grep -A3 -i 'last state'"),
         ("Read the kernel log for the OOM killer's report",
          "The report lists the memory usage of every process at the time",
          "dmesg -T | grep -i -A20 'out of memory'"),
         ("Compare memory usage before the incident with the limit",
          "A steady climb points to a leak; a step points to a load or config change", None)),
        0.95, 1,
        "memory|oom|enomem",
    ),
    _signature(
        "shared_memory_full", "Shared memory (/dev/shm) too small", Category.CONFIGURATION,
        "{component} ran out of shared memory: its /dev/shm (64 MB by default in a container)"
        " is smaller than what it allocates there (PostgreSQL's parallel query and hash"
        " joins), so those allocations fail with \u201cNo space left on device\u201d while"
        " the disks have room.",
        (r"could not (?:resize|create|map) shared memory segment .*No space left on device",
         r"/dev/shm\S*.*No space left on device"),
        (("Compare /dev/shm's size with what the server allocates there",
          "A container's /dev/shm defaults to 64 MB unless a memory-backed volume is mounted",
          "df -h /dev/shm"),
         ("Mount a larger /dev/shm (an emptyDir with medium: Memory, or --shm-size)",
          "Turning off parallel query only hides it", None)),
        0.96, 1,
        "shared memory|/dev/shm",
    ),
    _signature(
        "lock_table_full", "Lock table full (max_locks_per_transaction)", Category.DATABASE,
        "{component}'s shared lock table is full: transactions touching many tables or"
        " partitions take more locks than max_locks_per_transaction allows, so they fail"
        " with \u201cout of shared memory\u201d.",
        (r"out of shared memory.*max_locks_per_transaction", r"ERROR:\s+out of shared memory\s*$",
         r"You might need to increase max_locks_per_transaction"),
        (("Count the locks the failing transactions hold",
          "Many partitions or a pg_dump of many tables take one lock each",
          "psql -c 'select count(*) from pg_locks'; psql -c 'show max_locks_per_transaction'"),
         ("Raise max_locks_per_transaction (needs a restart) or touch fewer relations at once",
          "The lock table is sized at start-up", None)),
        0.9, 1,
        "max_locks_per_transaction|out of shared memory",
    ),
    _signature(
        "record_too_large", "Message larger than the broker or producer allows",
        Category.CONFIGURATION,
        "{component} produces messages larger than the size limit configured for them"
        " (max.request.size on the producer, message.max.bytes or max.message.bytes on the"
        " broker or topic), so those messages are rejected.",
        (r"\bRecordTooLargeException\b", r"\bMESSAGE_TOO_LARGE\b",
         r"The request included a message larger than the max message size the server will"
         r" accept"),
        (("Compare the rejected messages' size with the limits on producer, broker and topic",
          "The smallest of the three wins",
          "kafka-configs --bootstrap-server <broker> --entity-type topics --entity-name <topic>"
          " --describe"),),
        0.85, 1,
        "recordtoolarge|message_too_large|max message size",
    ),
    _signature(
        "packet_too_large", "Statements larger than the MySQL server's max_allowed_packet",
        Category.CONFIGURATION,
        "{component} refuses statements larger than its max_allowed_packet, so large inserts"
        " and uploads fail while small ones work.",
        (r"\bPacketTooBigException\b", r"Packet for query is too large",
         r"Got a packet bigger than 'max_allowed_packet'", r"\bER_NET_PACKET_TOO_LARGE\b"),
        (("Read the server's max_allowed_packet and compare it with the refused sizes",
          "The client's error names the packet's size and the server's limit",
          "mysql -h {component} -e \"SHOW GLOBAL VARIABLES LIKE 'max_allowed_packet'\""),
         ("Raise max_allowed_packet in the server's configuration file (SET GLOBAL until the"
          " next restart)", "A rebuilt or new server without the setting runs with the default",
          None)),
        0.9, 1,
        "packet",
    ),
    _signature(
        "consumer_offsets_reset", "Consumer offsets out of range and reset",
        Category.CONFIGURATION,
        "{component}'s committed offsets point to messages the topic no longer keeps (offsets"
        " expired during a stop, or retention deleted them), so the consumer resets to where"
        " auto.offset.reset says and silently skips (latest) or replays (earliest) messages.",
        (r"(?i)is out of range for partition \S+, resetting offset",
         r"(?i)\bOffsetOutOfRange(?:Exception)?\b",
         r"(?i)no committed offset for partition .*resetting"),
        (("Compare the group's committed offsets with the partitions' earliest offsets",
          "offsets.retention.minutes and the topic's retention decide what is kept",
          "kafka-consumer-groups --bootstrap-server <broker> --describe --group <group>"),),
        0.8, 1,
        "out of range|offsetoutofrange|resetting",
    ),
    _signature(
        "mapping_fields_limit", "Index mapping over its field limit", Category.DATA,
        "Documents {component} writes add new field names until the index mapping reaches its"
        " field limit (index.mapping.total_fields.limit), so Elasticsearch rejects them: a"
        " mapping explosion from keys built out of data.",
        (r"Limit of total fields \[\d+\] (?:in index \[[^\]]+\] )?has been exceeded",),
        (("Find the dynamic field names growing the mapping",
          "Keys built from ids or values add a field per document",
          "curl -s <es>/<index>/_mapping | jq '[paths] | length'"),),
        0.88, 1,
        "limit of total fields",
    ),
    _signature(
        "mapping_type_conflict", "Documents rejected by the index mapping's field type",
        Category.DATA,
        "Elasticsearch rejects documents {component} sends because a field's value does not"
        " fit the type the index mapping holds for it (a daily index maps a field from the"
        " first document that carries it: one producer writing a number where others write a"
        " word fixes the type for the day).",
        (r"\b(?:document_parsing_exception|mapper_parsing_exception)\b",
         r"failed to parse field \[[^\]]+\] of type \[\w+\]",
         r"mapper \[[^\]]+\] cannot be changed from type \[\w+\] to \[\w+\]"),
        (("Compare the field's type in today's index with yesterday's, and find who wrote it"
          " first", "Dynamic mapping takes the first value's type; an index template that"
          " names the field fixes it", "curl -s <es>/<index>/_mapping/field/<field>"),),
        0.85, 2,
        "parsing_exception|failed to parse field|cannot be changed from type",
    ),
    _signature(
        "shard_limit_reached", "Cluster at its open-shard limit", Category.CONFIGURATION,
        "The Elasticsearch cluster {component} writes to holds as many shards as"
        " cluster.max_shards_per_node allows (old indices never deleted: a lifecycle policy"
        " without a delete phase), so new indices (the next day's) cannot be created and"
        " writes to them fail.",
        (r"this action would add \[\d+\] (?:total )?shards, but this cluster currently has"
         r" \[\d+\]/\[\d+\] maximum (?:normal )?shards open",),
        (("Count the cluster's shards against the limit, and find indices that should have"
          " been deleted", "A lifecycle policy that lost its delete phase keeps every daily"
          " index", "curl -s <es>/_cluster/health?filter_path=active_shards; curl -s"
          " <es>/_cat/indices?s=creation.date | head"),),
        0.9, 1,
        "maximum normal shards|maximum shards",
    ),
    _signature(
        "dns_forwarder_saturated", "DNS forwarder at its concurrent-query limit", Category.DNS,
        "The DNS forwarder on {component} has as many queries in flight upstream as it allows"
        " (dnsmasq's dns-forward-max, 150 by default), so it drops further queries and its"
        " clients' lookups fail (EAI_AGAIN, timeouts) at peak.",
        (r"Maximum number of concurrent DNS queries reached \(max: \d+\)",),
        (("Compare the forwarder's concurrent-query limit with its clients' peak",
          "dnsmasq drops queries past dns-forward-max and says so in its log",
          "grep -c 'concurrent DNS queries reached' /var/log/syslog; grep dns-forward-max"
          " /etc/dnsmasq.conf /etc/dnsmasq.d/*"),),
        0.9, 1,
        "concurrent dns queries",
    ),
    _signature(
        "es_circuit_breaker", "Elasticsearch circuit breaker tripped", Category.MEMORY,
        "{component}'s heap is too full for the requests it gets: a circuit breaker rejects"
        " requests that would push it over (\u201cData too large\u201d).",
        (r"circuit_breaking_exception", r"\[parent\] Data too large"),
        (("Read the breakers' estimated sizes against their limits on each node",
          "Large aggregations, field data or bulk requests fill the heap",
          "curl -s '<es>/_nodes/stats/breaker?pretty'"),),
        0.85, 1,
        "circuit_breaking|data too large",
    ),
    _signature(
        "es_rejected_execution", "Elasticsearch thread pool queue full", Category.CONNECTION_POOL,
        "A thread pool of {component} (write, search) has its queue full, so new requests are"
        " rejected: more requests arrive than the nodes can work through.",
        (r"es_rejected_execution_exception", r"EsRejectedExecutionException",
         r"\brejected execution of (?:org\.elasticsearch|coordinating|primary|replica)"),
        (("See which thread pool rejects and on which nodes",
          "A hot node or a burst of bulk requests fills one pool",
          "curl -s '<es>/_cat/thread_pool?v&h=node_name,name,active,queue,rejected'"),),
        0.8, 2,
        "rejected_execution|rejectedexecution|rejected execution",
    ),
    _signature(
        "consumer_ack_timeout", "Deliveries held past the broker's consumer timeout",
        Category.CONFIGURATION,
        "{component}'s consumer_timeout (30 minutes by default since RabbitMQ 3.8.17) is shorter"
        " than its consumers hold a delivery before acknowledging it, so the broker closes"
        " their channels and requeues the deliveries, which start over and time out again.",
        (r"delivery acknowledgement on channel \d+ timed out",
         r"has timed out waiting for a consumer acknowledgement"),
        (("Compare the broker's consumer_timeout with how long consumers take to acknowledge",
          "Long jobs acked only at the end, or acks batched beyond the prefetch, hold deliveries",
          "rabbitmqctl environment | grep consumer_timeout; rabbitmqctl list_consumers"
          " queue_name consumer_tag ack_required prefetch_count"),
         ("Raise consumer_timeout (rabbitmq.conf, or per queue with the x-consumer-timeout"
          " argument or policy) above the longest job, or acknowledge sooner",
          "The timeout is checked per delivery", None)),
        0.85, 1,
        "delivery acknowledgement|consumer acknowledgement",
    ),
    _signature(
        "unix_socket_missing", "Upstream's unix socket file is gone", Category.DEPENDENCY,
        "{component} cannot connect to its upstream's unix socket: the socket file does not exist"
        " (ENOENT). If the upstream still runs, something deleted the file (a /tmp cleaner such"
        " as systemd-tmpfiles) or the two see different /tmp directories (PrivateTmp).",
        (r"connect\(\) to unix:\S+ failed \(2: No such file or directory\)",),
        (("Check whether the socket file exists and whether its service still runs",
          "A running service whose socket file was deleted listens on a path no one can reach;"
          " restarting it recreates the file",
          "ls -l <socket path>; ss -xlp | grep <service>"),),
        0.8, 2,
        "unix:",
    ),
    _signature(
        "proxy_buffer_too_small", "Upstream headers larger than the proxy's buffer",
        Category.CONFIGURATION,
        "The proxy {component} cannot hold the upstream's response headers in its buffer"
        " (proxy_buffer_size), so it answers 502 for responses with large headers (big"
        " cookies, long redirect URLs).",
        (r"upstream sent too big header while reading response header from upstream",),
        (("Find which responses carry the large headers",
          "Set-Cookie and Location headers grow with sessions and tokens",
          "grep 'too big header' /var/log/nginx/error.log | tail"),),
        0.85, 1,
        "too big header",
    ),
    _signature(
        "request_body_too_large", "Request bodies over the proxy's limit", Category.CONFIGURATION,
        "The proxy {component} refuses request bodies larger than its limit"
        " (client_max_body_size), answering 413 to uploads that used to pass.",
        (r"client intended to send too large (?:chunked )?body",),
        (("Compare the refused bodies' size with the limit on every proxy in the path",
          "The smallest limit on the way refuses", "nginx -T | grep client_max_body_size"),),
        0.85, 1,
        "too large body|too large chunked body",
    ),
    _signature(
        # Weighed above the SYN cookies that follow: workers at their cap stop accepting.
        "nginx_worker_connections", "nginx workers at their connection cap",
        Category.CONNECTION_POOL,
        "Every nginx worker of {component} holds worker_connections connections (clients and"
        " upstreams both count), so it accepts no more: new connections wait in the listen"
        " backlog until it overflows, and requests fail or stall.",
        (r"\d+ worker_connections are not enough",),
        (("Compare worker_processes x worker_connections with the open connections at peak",
          "Keep-alive clients and upstream connections each hold a slot",
          "nginx -T 2>/dev/null | grep -E 'worker_(processes|connections)'; ss -s"),
         ("Raise worker_connections (and the worker's open-file limit with it) in {component}",
          "worker_rlimit_nofile must allow at least as many descriptors", None)),
        0.85, 1,
        "worker_connections",
    ),
    _signature(
        "syn_flood_cookies", "Listen queue overflowing (SYN cookies)", Category.NETWORK,
        "A listening socket on {component} gets connections faster than it accepts them: its"
        " SYN backlog overflows and the kernel falls back to SYN cookies, so connections are"
        " dropped or slow to establish.",
        (r"Possible SYN flooding on port \d+",),
        (("Compare the listen backlog with the accept rate",
          "A small backlog or a slow accept loop overflows at peaks",
          "ss -ltn; nstat -az TcpExtListenOverflows TcpExtListenDrops"),),
        0.7, 2,
        "syn flooding",
    ),
    _signature(
        "hung_task", "Processes blocked on I/O (hung tasks)", Category.DISK,
        "Processes on {component} sat blocked in uninterruptible I/O for minutes: the storage"
        " under them stalled (a saturated or failing disk, a network volume gone slow).",
        (r"task \S+ blocked for more than \d+ seconds",),
        (("See which devices the blocked tasks wait on and how busy they are",
          "Await and utilisation near 100 % show the stalled device", "iostat -x 5 3"),),
        0.75, 2,
        "blocked for more than",
    ),
    _signature(
        "disk_full", "Disk full", Category.DISK,
        "A volume used by {component} ran out of space (or inodes), so writes failed.",
        # Node's `ENOSPC: System limit for number of file watchers` is inotify, not disk; a
        # bare `code: 'ENOSPC'` line repeats whatever the error line above it said.
        (r"(?i)no space left on device", r"\bENOSPC\b(?!['\"]|: System limit)",
         r"could not extend file",
         r"(?i)\bdisk (?:is )?full\b", r"(?i)out of (?:disk space|inodes)",
         r"(?i)\binodes? (?:exhausted|full)\b", r"(?i)Errno 28\b",
         r"(?i)database or disk is full", r"(?i)flood[- ]stage disk watermark",
         # RabbitMQ blocks every publisher once its free disk falls under the limit.
         r"disk resource limit alarm set", r"Free disk space is insufficient",
         # etcd past its backend quota: the NOSPACE alarm turns every write away.
         r"mvcc: database space exceeded", r"\bbackend quota reached\b"),
        (("Check free space and inodes on the volume", "Shows which filesystem is full",
          "df -h && df -i"),
         ("Find what filled the volume", "Large logs, core dumps or WAL usually explain it",
          "du -xh / 2>/dev/null | sort -h | tail -20"),
         ("Free space or grow the volume, then restart {component} if it stays stuck",
          "Writes resume only once space is available", None)),
        0.95, 1,
        "space|enospc|extend file|disk|inode|errno 28|watermark|alarm|quota reached",
    ),
    _signature(
        "disk_io_error", "Disk I/O errors", Category.HARDWARE,
        "The disk under {component} is returning I/O errors.",
        (r"blk_update_request: (?:critical medium |)I/O error", r"Buffer I/O error on dev",
         r"I/O error, dev \w+, sector", r"EXT4-fs error", r"XFS \(\w+\): .*I/O error",
         r"(?i)Input/output error", r"\bEIO\b", r"(?i)critical medium error",
         r"(?i)remounting filesystem read-only",
         # smartd counting unreadable sectors as they grow (a steady count is old damage).
         r"(?:Currently unreadable \(pending\)|Offline uncorrectable) sectors \(changed \+\d+\)",
         r"SMART (?:Prefailure|Usage) Attribute: \d+ (?:Reallocated_Sector_Ct"
         r"|Current_Pending_Sector|Offline_Uncorrectable|Reported_Uncorrect"
         r"|Reallocated_Event_Count) changed from",
         r"FAILING_NOW", r"SMART overall-health self-assessment test result: FAILED"),
        (("Check the disk's health", "Media errors mean the device is failing",
          "smartctl -a /dev/sdX && dmesg -T | grep -i 'i/o error'"),
         ("Move {component} off the failing disk or node",
          "Retries will keep failing on bad media", None)),
        0.9, 1,
        "i/o error|ext4-fs|input/output|eio|medium error|read-only|sectors|smart|failing_now",
    ),
    _signature(
        "memory_hardware_error", "Failing memory (ECC / machine-check errors)", Category.HARDWARE,
        "The memory of {component} is failing: the kernel reports hardware memory errors, and"
        " processes touching the bad pages crash at random.",
        (r"EDAC \S+: \d+ (?:UE|CE) memory", r"mce: \[Hardware Error\]",
         r"mce: Uncorrected hardware memory error", r"Machine check events logged",
         r"(?i)due to hardware memory corruption"),
        (("Read the machine-check and EDAC counters", "Uncorrectable errors on one DIMM confirm it",
          "journalctl -k | grep -iE 'mce|edac|memory failure'; "
          "grep . /sys/devices/system/edac/mc/mc*/*_count"),
         ("Drain {component} and replace the DIMM the errors name",
          "Random crashes continue while the module stays in service", None)),
        0.9, 1,
        "edac|mce|machine check|hardware memory",
    ),
    _signature(
        "consumer_poll_timeout", "Consumer poll loop slower than max.poll.interval.ms",
        Category.CONFIGURATION,
        "{component}'s Kafka consumers take longer between polls than max.poll.interval.ms"
        " allows, so the group coordinator drops them: the group rebalances again and again,"
        " commits fail and lag grows.",
        (r"consumer poll timeout has expired",
         r"longer than the configured max\.poll\.interval\.ms",
         r"CommitFailedException: .*(?:kicked out of the group|max\.poll\.interval\.ms)"),
        (("Compare the batch processing time with max.poll.interval.ms",
          "A batch slower than the interval gets the consumer evicted on every poll",
          "kafka-consumer-groups.sh --bootstrap-server <broker> --describe --group {component}"),
         ("Raise max.poll.interval.ms or lower max.poll.records for {component}",
          "Each poll then returns within the interval and the group stops rebalancing", None)),
        0.85, 2,
        "poll|commitfailed",
    ),
    _signature(
        "nfs_server_not_responding", "NFS server not responding", Category.DEPENDENCY,
        "An NFS server {component} mounts stopped answering: every process touching the mount"
        " hangs in uninterruptible sleep (D state) until it returns.",
        (r"\bnfs: server \S+ not responding", r"(?i)\bnfs4?: server \S+ not responding"),
        (("Check the NFS server and its exports", "A stopped nfs-server (or its network) hangs"
          " every client of the mount", "showmount -e <server>; systemctl status nfs-server"),
         ("Find the processes stuck on the mount", "Workers in D state hold their slots until"
          " the server answers", "ps -eo pid,stat,wchan:30,cmd | awk '$2 ~ /D/'")),
        0.85, 1,
        "nfs",
    ),
    _signature(
        "conntrack_table_full", "Connection-tracking table full", Category.NETWORK,
        "The kernel's connection-tracking table on {component} is full: it drops the packets"
        " of new connections, so calls through it time out though every service is healthy.",
        (r"nf_conntrack: (?:nf_conntrack: )?table full, dropping packet",
         r"ip_conntrack: table full, dropping packet"),
        (("Compare the table's use with its limit", "A count at nf_conntrack_max drops new"
          " flows", "sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max"),
         ("Find who set the limit", "Hardening profiles and images often pin it low",
          "grep -r conntrack /etc/sysctl.conf /etc/sysctl.d/")),
        0.85, 1,
        "conntrack|table full",
    ),
    _signature(
        "neighbour_table_overflow", "ARP/neighbour table overflow", Category.NETWORK,
        "The kernel's neighbour (ARP) table on {component} overflowed: with more peers on its"
        " network than gc_thresh3 allows, it forgets addresses and drops their packets.",
        (r"neighbou?r(?: table)?(?: \w+)?: \w+_cache: neighbou?r table overflow",
         r"(?i)\bneighbou?r table overflow"),
        (("Compare the neighbour entries with the table's limits", "Entries at gc_thresh3"
          " overflow", "ip -4 neigh show | wc -l; sysctl net.ipv4.neigh.default.gc_thresh3"),
         ("Raise the thresholds or shrink the broadcast domain", "Thousands of peers on one"
          " flat network outgrow the defaults", None)),
        0.85, 1,
        "neighbour|neighbor|arp",
    ),
    _signature(
        "cassandra_tombstones", "Reads over too many tombstones", Category.DATABASE,
        "Reads in {component} scan piles of tombstones (deleted cells not yet compacted away), so"
        " they slow down and fail past the tombstone threshold.",
        (r"Scanned over \d+ tombstones", r"Read \d+ live rows and \d+ tombstone cells",
         r"TombstoneOverwhelmingException"),
        (("Find the table and partitions with the tombstones", "Per-row deletes or TTLs on a"
          " wide partition pile them up", "nodetool tablestats <keyspace>.<table>"),
         ("Compact the table or change the data model's deletes",
          "Tombstones go only after gc_grace_seconds and a compaction", None)),
        0.85, 1,
        "tombstone",
    ),
    _signature(
        "ingress_certificate_missing", "Ingress serving its default certificate", Category.TLS,
        "The TLS secret an Ingress served by {component} names cannot be found, so it serves"
        " its self-signed default certificate and clients refuse the connection.",
        (r"Error obtaining X\.509 certificate: .*no object matching key",
         r"local SSL certificate \S+ was not found\. Using default certificate",
         r"(?i)error getting SSL certificate .* not found"),
        (("Compare the Ingress's TLS secret with the secrets in its namespace",
          "An Ingress can only use a secret of its own namespace",
          "kubectl get ingress -A; kubectl get secrets -A --field-selector type=kubernetes.io/tls"),
         ("Create (or copy) the TLS secret in the Ingress's namespace",
          "The controller picks it up without a restart", None)),
        0.85, 1,
        "x.509|ssl certificate",
    ),
    _signature(
        "credential_expired", "Credential past its expiry", Category.PERMISSION,
        "The credential {component} signs its requests with (a SAS token, a pre-signed URL, a"
        " session token, a password with an expiry date) has expired, so the service refuses"
        " every request.",
        (r"Signature not valid in the specified time frame", r"\bExpiredToken(?:Exception)?\b",
         r"The provided token has expired", r"(?i)\bSAS token (?:has )?expired",
         r"Request has expired",
         # PostgreSQL's DETAIL for a role past its `VALID UNTIL`.
         r"User \"[^\"]+\" has an expired password"),
        (("Read the credential's expiry", "An `se=`/`X-Amz-Expires` in the past, or a token's"
          " `exp`, confirms it", None),
         ("Issue a new credential and move its rotation into automation",
          "A credential that expires on a date fails everything at once on that date", None)),
        0.85, 1,
        "signature not valid|expiredtoken|has expired|sas token|request has expired"
        "|expired password",
    ),
    _signature(
        "too_many_open_files", "Too many open files", Category.FILE_DESCRIPTORS,
        "{component} exhausted its file descriptor limit.",
        (r"(?i)too many open files", r"\bEMFILE\b", r"\bENFILE\b", r"Errno 24\b",
         r"(?i)file table overflow", r"(?i)\bout of file descriptors\b",
         r"(?i)\bfile descriptor limit alarm set\b"),
        (("Compare open descriptors with the limit",
          "A count near the limit confirms it; a steady climb points to a leak",
          "ls /proc/$(pgrep -o {component})/fd | wc -l; "
          "grep 'open files' /proc/$(pgrep -o {component})/limits"),
         ("Raise the limit (LimitNOFILE / ulimit -n) and look for leaked sockets or files",
          "Raising the limit buys time; the leak is the fix", None)),
        0.9, 2,
        "open files|emfile|enfile|errno 24|file table|file descriptor",
    ),
    _signature(
        "file_limit_lowered", "Open-files limit below the server's configuration",
        Category.FILE_DESCRIPTORS,
        "{component} started with an open-files limit (ulimit -n, systemd LimitNOFILE) below"
        " what its configuration needs, so it cut its own capacity (Redis lowers maxclients)"
        " and refuses connections beyond it.",
        (r"maxclients has been reduced to \d+", r"(?i)can't set maximum open files to \d+",
         r"exceed open file resource limit",
         r"max file descriptors \[\d+\] for elasticsearch process is too low"),
        (("Compare the process's open-files limit with what its configuration needs",
          "A package upgrade or a new unit file can drop a LimitNOFILE override",
          "grep 'open files' /proc/$(pgrep -o {component})/limits;"
          " systemctl cat {component} | grep -i nofile"),
         ("Restore the limit (LimitNOFILE in a unit drop-in) and restart",
          "The server sizes itself from the limit at start-up", None)),
        0.9, 2,
        "maxclients|maximum open files|open file resource|max file descriptors",
    ),
    _signature(
        "inotify_watches_exhausted", "Out of inotify watches", Category.FILE_DESCRIPTORS,
        "{component} hit the kernel's inotify watch limit (fs.inotify.max_user_watches): a file"
        " watcher (a server started in development mode, a log shipper, an IDE agent) watches"
        " more files than the host allows.",
        (r"System limit for number of file watchers reached", r"(?i)inotify watch limit reached",
         r"(?i)inotify resources exhausted"),
        (("See which process holds the watches and whether it should watch files at all",
          "A production server should not watch its tree; dev mode or a watcher left on does",
          "find /proc/*/fdinfo -type f 2>/dev/null | xargs grep -c '^inotify' | sort -t: -k2 -n"
          " | tail"),),
        0.85, 2,
        "watchers|inotify",
    ),
    _signature(
        "environment_too_large", "Process environment too large to start (E2BIG)",
        Category.CONFIGURATION,
        "{component}'s container cannot start its program: the environment and arguments"
        " passed to exec exceed the kernel's limit (E2BIG, \u201cargument list too"
        " long\u201d). In Kubernetes this is most often the service-link variables injected"
        " for every Service in the namespace (enableServiceLinks: true in a namespace with"
        " thousands of Services).",
        (r"exec(?: user process caused)?:? [^\n]*argument list too long",
         r"\bE2BIG\b"),
        (("Set enableServiceLinks: false in {component}'s pod spec (or prune the namespace's"
          " Services)",
          "Each Service adds about seven variables to every container's environment",
          "kubectl get svc --no-headers | wc -l; kubectl get deploy {component} -o"
          " jsonpath='{.spec.template.spec.enableServiceLinks}'"),),
        0.9, 1,
        "argument list too long|e2big",
    ),
    _signature(
        "auto_increment_exhausted", "Auto-increment key at its type's maximum", Category.DATA,
        "The auto-increment key of a table on {component} reached the largest value its"
        " integer type holds (2147483647 for a signed INT): every insert now gets that same"
        " value and fails as a duplicate key.",
        (r"Duplicate entry '(?:127|255|32767|65535|8388607|16777215|2147483647|4294967295"
         r"|9223372036854775807|18446744073709551615)' for key '(?:[\w.]+\.)?PRIMARY'",
         r"Failed to read auto-increment value from storage engine"),
        (("Compare the table's AUTO_INCREMENT with its key type's maximum",
          "A key at 2147483647 on a signed INT has no room left",
          "SELECT table_name, auto_increment FROM information_schema.tables WHERE"
          " auto_increment > 2000000000;"),
         ("Widen the key (ALTER TABLE ... MODIFY id BIGINT UNSIGNED AUTO_INCREMENT), with an"
          " online schema change on a large table",
          "Inserts resume once the key has room", None)),
        0.9, 1,
        "duplicate entry|auto-increment",
    ),
    _signature(
        "kafka_session_timeout_range", "Consumer session timeout outside the broker's range",
        Category.CONFIGURATION,
        "{component} asks for a consumer session timeout the brokers do not allow (outside"
        " group.min.session.timeout.ms..group.max.session.timeout.ms): every JoinGroup is"
        " rejected, so the group never gets partitions and nothing is consumed.",
        (r"InvalidSessionTimeoutException",
         r"session timeout is not within the range allowed by the broker"),
        (("Set {component}'s session.timeout.ms within the brokers' range (or raise"
          " group.max.session.timeout.ms on the brokers)",
          "The broker rejects the JoinGroup until the timeout fits",
          "kafka-configs.sh --bootstrap-server <broker> --entity-type brokers --describe --all"
          " | grep session.timeout"),),
        0.9, 1,
        "sessiontimeout|session timeout",
    ),
    _signature(
        "rabbitmq_channel_max", "Channels per connection capped by channel_max",
        Category.CONFIGURATION,
        "{component} caps the channels a connection may open (channel_max) below what its"
        " clients open: each channel past the cap is refused with NOT_ALLOWED and the"
        " connection closed, so the clients' workers fail.",
        (r"number of channels opened \(\d+\) has reached the negotiated channel_max",),
        (("Raise channel_max on {component} (or have clients open fewer channels per"
          " connection)",
          "The broker's setting, negotiated down at connection time, is the limit",
          "rabbitmq-diagnostics environment | grep channel_max"),),
        0.9, 1,
        "channel_max",
    ),
    _signature(
        "redis_protected_mode", "Redis refusing clients in protected mode",
        Category.CONFIGURATION,
        "{component} runs in protected mode (protected-mode yes with no password set): it"
        " answers only loopback clients and refuses every other with DENIED.",
        (r"DENIED Redis is running in protected mode",),
        (("Set a password (requirepass/ACL) and bind to the right interface, or turn"
          " protected-mode off on {component} behind a firewall",
          "Protected mode refuses remote clients only while no password is set",
          "redis-cli -h <host> CONFIG GET protected-mode; grep -E"
          " '^(protected-mode|bind|requirepass)' /etc/redis/redis.conf"),),
        0.9, 1,
        "protected mode",
    ),
    _signature(
        "mysql_connection_lost", "MySQL closing clients' connections", Category.CONFIGURATION,
        "{component} closes connections its clients still hold: a wait_timeout shorter than"
        " the time their pools keep connections idle (or a server restart) drops them, and the"
        " next query on each fails with 2006/2013 until the pool reconnects.",
        (r"MySQL server has gone away", r"Lost connection to MySQL server during query",
         r"\b20(?:06|13)\b.{0,40}(?:gone away|Lost connection)"),
        (("Compare the server's wait_timeout with how long the clients' pools keep connections",
          "A pool must recycle (or ping) connections before the server's idle timeout",
          "mysql -e \"SHOW GLOBAL VARIABLES LIKE '%_timeout'; SELECT * FROM"
          " performance_schema.persisted_variables\""),),
        0.75, 2,
        "gone away|lost connection",
    ),
    _signature(
        "kafka_log_cleaner_failed", "Kafka's log cleaner stopped compacting",
        Category.CONFIGURATION,
        "{component}'s log cleaner failed on a compacted partition (a segment holding more"
        " records than its dedupe buffer can map), so that partition is never compacted again"
        " and grows: a consumer-offsets partition then takes minutes to load whenever its"
        " broker becomes the group coordinator.",
        (r"Unexpected exception thrown when cleaning log",
         r"offset map can fit only \d+\. You can increase log\.cleaner\.dedupe\.buffer\.size"),
        (("See which partitions the cleaner skips and how large they grew",
          "An uncompacted __consumer_offsets partition grows without bound",
          "grep -i 'cleaning log' /var/log/kafka/log-cleaner.log | tail; du -sh"
          " /var/lib/kafka/data/__consumer_offsets-*"),
         ("Raise log.cleaner.dedupe.buffer.size (or lower log.cleaner.threads) on {component}"
          " and restart the cleaner",
          "The buffer is split across the cleaner threads", None)),
        0.9, 1,
        "cleaning log|offset map",
    ),
    _signature(
        "kafka_coordinator_loading", "Kafka group coordinator still loading",
        Category.CONFIGURATION,
        "The group coordinator on {component} is still loading its consumer-offsets partition,"
        " so consumer groups cannot join or commit until it finishes: a partition grown large"
        " (compaction stopped) takes minutes to load.",
        (r"The coordinator is loading and hence can't process requests",
         r"COORDINATOR_LOAD_IN_PROGRESS"),
        (("Find the broker coordinating the group and how long its offsets partition loads",
          "Minutes of loading mean an oversized __consumer_offsets partition",
          "grep 'Finished loading offsets' /var/log/kafka/server.log | tail"),),
        0.7, 3,
        "coordinator is loading|coordinator_load",
    ),
    _signature(
        "redis_noperm", "Redis ACL refusing a user's commands", Category.PERMISSION,
        "{component}'s ACL does not let the client's user run a command it needs (NOPERM):"
        " a tightened ACL rewrote the user without a command category (scripting, admin,"
        " a key pattern), so every call of that command fails.",
        (r"NOPERM (?:User \S+ has no permissions|this user has no permissions)",
         r"NOPERM No permissions to access a key"),
        (("Compare the user's ACL with the commands the client runs",
          "A user rules like -@all +@read +@write lacks +@scripting for EVAL/EVALSHA",
          "redis-cli -h <host> ACL GETUSER <user>; redis-cli -h <host> ACL LOG 10"),),
        0.9, 1,
        "noperm",
    ),
    _signature(
        "rabbitmq_access_refused", "RabbitMQ refusing a user's access to a resource",
        Category.PERMISSION,
        "{component} refuses the client's user access to an exchange or queue: the user's"
        " configure/write/read permission patterns for the vhost do not match the resource,"
        " so its publishes or consumes fail with ACCESS_REFUSED.",
        (r"(?i)access_refused:? -? ?(?:configure|write|read) access to (?:exchange|queue)",
         r"ACCESS_REFUSED - access to (?:exchange|queue) '"),
        (("Compare the user's permissions in the vhost with the resource the error names",
          "The permission regexes must match the exchange or queue name",
          "rabbitmqctl list_user_permissions <user>; rabbitmqctl list_permissions -p <vhost>"),),
        0.9, 1,
        "access_refused",
    ),
    _signature(
        "pooled_prepared_statements", "Prepared statements lost across pooled connections",
        Category.CONFIGURATION,
        "Server-side prepared statements fail on {component}: a pooler in transaction mode"
        " (PgBouncer pool_mode = transaction) hands each transaction another server"
        " connection, so a statement prepared on one is missing (or already present) on the"
        " next.",
        (r'prepared statement \\?"(?:S_\d+|__asyncpg_stmt_\w+|_pg3_\w+)\\?" (?:does not exist'
         r"|already exists)",),
        (("Check the pooler's pool_mode and the driver's prepared-statement setting",
          "Transaction pooling needs prepareThreshold=0 (JDBC) or statement caching off",
          "grep -E '^pool_mode' /etc/pgbouncer/pgbouncer.ini; psql -p 6432 pgbouncer -c"
          " 'SHOW POOLS'"),),
        0.85, 1,
        "prepared statement",
    ),
    _signature(
        "xid_wraparound", "Transaction IDs near wraparound", Category.DATABASE,
        "{component} is running out of transaction IDs: something holds back the oldest"
        " xmin (a transaction left open for days, an abandoned replication slot or prepared"
        " transaction), so vacuum cannot freeze old rows; near wraparound PostgreSQL warns,"
        " then refuses every command that needs a new transaction ID.",
        (r"not accepting commands (?:that assign new (?:XIDs|transaction IDs) )?to avoid"
         r" wraparound data loss",
         r"must be vacuumed within \d+ transactions", r"oldest xmin is far in the past",
         r"avoid (?:a )?(?:database )?shutdown.{0,40}wraparound"),
        (("Find what holds the oldest xmin back and end it",
          "An idle-in-transaction session, an inactive replication slot or an orphaned"
          " prepared transaction keeps vacuum from freezing anything",
          "psql -c \"SELECT pid, state, xact_start, backend_xid, backend_xmin FROM"
          " pg_stat_activity ORDER BY age(backend_xmin) DESC NULLS LAST LIMIT 5\"; psql -c"
          " \"SELECT slot_name, active, xmin FROM pg_replication_slots\"; psql -c"
          " \"SELECT gid, prepared FROM pg_prepared_xacts\""),
         ("Then freeze: VACUUM (FREEZE, VERBOSE) the oldest tables of {component}",
          "age(datfrozenxid) falls once vacuum can freeze again",
          "psql -d {component} -c \"VACUUM (FREEZE, VERBOSE)\""),),
        0.92, 1,
        "wraparound|must be vacuumed|oldest xmin",
    ),
    _signature(
        "replica_too_stale", "Replica too stale to catch up", Category.DATABASE,
        "A replica of {component} fell further behind than its source keeps history for (the"
        " oplog or WAL window passed): it cannot catch up by replaying and needs a full"
        " resync, and writes that wait for a majority of replicas stall meanwhile.",
        (r"too stale to use candidate as a sync source", r"\bRS102\b",
         r"(?i)replica (?:set )?member is too stale",
         r"requested WAL segment \S+ has already been removed"),
        (("Check the replica's state and how far its last applied entry is behind",
          "A member stuck in RECOVERING or a standby asking for removed WAL needs a resync",
          None),
         ("Resync the replica (initial sync, or a new base backup) and size the history window"
          " above the longest outage", "Replaying cannot bridge history that is gone", None)),
        0.85, 2,
        "too stale|rs102|already been removed",
    ),
    _signature(
        "replication_stopped", "Replication stopped on an error", Category.DATABASE,
        "Replication on {component} stopped: its applier failed on a transaction (a duplicate"
        " key or a missing row, usually left by a write made on the replica itself), so it"
        " serves ever older data while its readers see nothing change.",
        (r"Replica SQL for channel '[^']*': .*(?:failed executing transaction|Error_code)",
         r"Slave SQL for channel '[^']*': .*Error_code",
         r"(?i)Error running query, (?:slave|replica) SQL thread aborted",
         r"logical replication (?:apply )?worker for subscription \"[^\"]+\" has stopped"),
        (("Read the replica's last error and the transaction it failed on",
          "Last_SQL_Error names the table and the row; compare it with the source",
          "mysql -e 'SHOW REPLICA STATUS\\G' | grep -E 'Running|Last_SQL_Err|Seconds_Behind'"),
         ("Find who wrote on the replica and make it read-only",
          "super_read_only stops stray writes; fix or skip the conflicting row, then resume",
          None)),
        0.88, 2,
        "replica sql|slave sql|sql thread aborted|logical replication",
    ),
    _signature(
        "replica_output_buffer_limit", "Clients dropped at their output buffer limit",
        Category.CONFIGURATION,
        "{component} closes clients that overrun their client-output-buffer-limit: a replica"
        " during a full sync (the resync starts over and over, the replica answering LOADING),"
        " or a pub/sub subscriber (flags=P) that falls behind the messages published (it is"
        " cut off and misses messages until it resubscribes).",
        (r"scheduled to be closed ASAP for overcoming of output buffer limits",),
        (("Compare client-output-buffer-limit (replica, pubsub) with what those clients buffer"
          " at peak, and find who lowered it",
          "A limit below a full resync or a burst of published messages cuts those clients off"
          " again and again",
          "redis-cli CONFIG GET client-output-buffer-limit"),),
        0.85, 2,
        "output buffer limits",
    ),
    _signature(
        "long_gc_pause", "Process frozen by a long garbage-collection pause", Category.MEMORY,
        "{component}'s JVM stopped for a garbage-collection pause of tens of seconds (a heap too"
        " large or too full for its collector), longer than its session and heartbeat timeouts,"
        " so its peers declared it dead.",
        (r"Detected pause in JVM or host machine \(eg GC\): pause of approximately \d{5,}ms",
         r"\bWe slept \d{5,}ms instead of \d+ms",
         r"\(concurrent mode failure\)", r"\bto-space exhausted\b",
         # Elasticsearch's GC monitor: an old-generation collection or GC overhead of 10 s+.
         r"\[gc\]\[old\]\[\d+\]\[\d+\] duration \[\d{2,}(?:\.\d+)?s\]",
         r"\[gc\]\[\d+\] overhead, spent \[\d{2,}(?:\.\d+)?s\] collecting"),
        (("Read the GC log around the pause: which collection, how long, how full the heap was",
          "A full collection of a large, nearly full heap stops every thread for its duration",
          None),
         ("Size the heap for its collector (or move to G1/ZGC) and keep session timeouts above"
          " the worst pause", "A pause longer than the session timeout is a death sentence in"
          " ZooKeeper-coordinated systems", None)),
        0.85, 2,
        "pause of|we slept|concurrent mode|to-space|[gc]",
    ),
    _signature(
        "link_speed_degraded", "Network link running below its speed", Category.HARDWARE,
        "{component}'s network link came up at 10 or 100 Mbps (a damaged cable, a bad port or"
        " failed autonegotiation), so its traffic saturates a link that should run at gigabit"
        " speed or more.",
        (r"\bLink is [Uu]p\b.{0,20}\b(?:10|100) ?Mbps",),
        (("Check the negotiated speed and the link partner's modes",
          "A gigabit partner and a 100 Mb/s link point to the cable or the port",
          "ethtool eno1"),),
        0.7, 2,
        "link is",
    ),
    _signature(
        "local_ports_exhausted", "Out of local ports", Category.NETWORK,
        "{component} ran out of local ports (ephemeral ports or sockets left open), so its"
        " outgoing connections fail with “cannot assign requested address”.",
        (r"(?i)cannot assign requested address", r"\bEADDRNOTAVAIL\b",
         r"(?i)Address not available \(os error 99\)", r"Errno 99\b"),
        (("Count the sockets by state and compare with the local port range",
          "Tens of thousands in TIME_WAIT or ESTABLISHED to one peer means a leak or no reuse",
          "ss -s; ss -tan state time-wait | wc -l; sysctl net.ipv4.ip_local_port_range"),
         ("Reuse connections (keep-alive, one client per process) in {component}",
          "A client opening a connection per request burns through the port range", None)),
        0.9, 2,
        "cannot assign requested address|eaddrnotavail|address not available|errno 99",
    ),
    _signature(
        "connection_pool_exhausted", "Connection pool exhausted", Category.CONNECTION_POOL,
        "{component} ran out of database connections (pool or server max_connections).",
        (r"sorry, too many clients already", r"remaining connection slots are reserved",
         r"\bToo many connections\b", r"Connection is not available, request timed out",
         r"QueuePool limit of size \d+ overflow", r"(?i)connection pool (?:is )?exhausted",
         r"(?i)timeout waiting for (?:a )?connection from pool",
         r"(?i)pool timed out while waiting", r"couldn't get a connection after [\d.]+ ?sec",
         r"\bPoolTimeout\b", r"Connection pool is full, discarding connection"),
        (("Count connections by client on the database", "Shows who holds the connections",
          "psql -c \"select usename, application_name, state, count(*) "
          "from pg_stat_activity group by 1, 2, 3 order by 4 desc\""),
         ("Check pool size against max_connections and look for leaked or long transactions",
          "Idle-in-transaction sessions keep connections from returning to the pool", None)),
        0.85, 3,
        "too many|connection|pool",
    ),
    _signature(
        "slow_query", "Queries cancelled by a statement timeout", Category.DATABASE,
        "Queries in the database used by {component} run past their statement timeout:"
        " a slow plan, a missing index or a grown table.",
        (r"canceling statement due to statement timeout",
         r"maximum statement execution time exceeded", r"(?i)\bstatement timeout\b",
         r"(?i)query (?:execution )?(?:was )?(?:interrupted|cancel+ed).{0,40}\btimeout\b"),
        (("Find the slowest statements and check their plans",
          "A sequential scan over a grown table is the usual reason a query starts timing out",
          "psql -c \"select calls, mean_exec_time, query from pg_stat_statements"
          " order by mean_exec_time desc limit 10\""),),
        0.8, 3,
        "statement|timeout|execution time",
    ),
    _signature(
        "serialization_failure", "Transactions fail serialization", Category.DATABASE,
        "Concurrent transactions in the database used by {component} run at SERIALIZABLE (or"
        " REPEATABLE READ) isolation and conflict, so the database aborts them with"
        " serialization failures (SQLSTATE 40001) that the application must retry.",
        (r"could not serialize access due to",),
        (("Find which isolation level the failing sessions run at, and who set it",
          "A default raised for the whole database (ALTER DATABASE ... SET"
          " default_transaction_isolation) turns every transaction serializable",
          "psql -c \"SELECT datname, setconfig FROM pg_db_role_setting s JOIN pg_database d"
          " ON d.oid = s.setdatabase\" -c 'SHOW default_transaction_isolation'"),),
        0.85, 2,
        "could not serialize",
    ),
    _signature(
        "db_lock", "Database deadlock or lock wait", Category.DATABASE,
        "Transactions in the database used by {component} are blocking each other on locks.",
        (r"deadlock detected", r"Deadlock found when trying to get lock",
         r"Lock wait timeout exceeded", r"canceling statement due to lock timeout",
         r"(?i)could not obtain lock on", r"(?i)lock request time out period exceeded"),
        (("Find blocking sessions", "Shows which transaction holds the lock",
          "psql -c \"select pid, pg_blocking_pids(pid), wait_event_type, query "
          "from pg_stat_activity where cardinality(pg_blocking_pids(pid)) > 0\""),
         ("Check for long transactions or migrations started just before",
          "They usually hold the lock", None)),
        0.85, 3,
        "deadlock|lock",
    ),
    _signature(
        "dns_transfer_denied", "Zone transfers refused to a secondary", Category.DNS,
        "{component} refuses zone transfers to a secondary (its allow-transfer no longer lists"
        " the secondary's address): the secondary's copy stops refreshing, expires after the"
        " SOA expire time, and lookups through it fail.",
        # Denied to a private address: a secondary. Scanners asking from outside are routine.
        (r"client (?:@0x[0-9a-f]+ )?(?:10\.|172\.(?:1[6-9]|2\d|3[01])\.|192\.168\.)[\d.]+#\d+"
         r" \([^)]*\): zone transfer '[^']+' denied",
         r"transfer of '[^']+' from \S+: failed while receiving responses: REFUSED"),
        (("Compare the primary's allow-transfer and also-notify with the secondaries' addresses",
          "A rebuilt or re-addressed secondary must be listed again",
          "named-checkconf -p | grep -A6 -E 'allow-transfer|also-notify'"),),
        0.85, 1,
        "transfer",
    ),
    _signature(
        "dns_zone_expired", "Secondary DNS zone expired", Category.DNS,
        "{component}'s copy of a zone expired: it could not refresh from its primary for longer"
        " than the zone's SOA expire time, so it now answers SERVFAIL for every name in it.",
        (r"zone \S+: expired", r"zone \S+/IN: expired"),
        (("See why the secondary cannot refresh from its primary",
          "A refused or failing transfer for days lets the copy expire",
          "grep -E 'transfer of|refresh|expired' /var/log/named/*.log | tail"),),
        0.8, 2,
        "expired",
    ),
    _signature(
        # Weighed above dns_failure: one cluster Service's name missing is that Service's.
        "service_name_missing", "A cluster Service's DNS name does not exist", Category.DNS,
        "Lookups of {component}'s cluster DNS name return NXDOMAIN: the Service {component}"
        " does not exist in that namespace (deleted, renamed, or pruned by a sync), or, for an"
        " ExternalName Service, the name it points to is gone.",
        (r"lookup [a-z0-9-]+\.[a-z0-9-]+\.svc(?:\.cluster\.local)?\.? on [^\s:]+(?::\d+)?:"
         r" no such host",),
        (("Check that the Service exists and what it points to",
          "A deleted Service, or an ExternalName whose target vanished, answers NXDOMAIN",
          "kubectl get svc -A | grep {component}; kubectl get svc {component} -o yaml"),),
        0.87, 2,
        "no such host",
    ),
    _signature(
        "dns_failure", "DNS resolution failure", Category.DNS,
        "{component} cannot resolve a host name it depends on.",
        # Not MySQL's reverse lookup of a client ("IP address '10.2.0.7' could not be
        # resolved"): it only means the server logs the address instead of a name.
        (r"(?<!could not be resolved: )Name or service not known", r"\bno such host\b",
         r"\bNXDOMAIN\b", r"Temporary failure in name resolution",
         r"getaddrinfo (?:ENOTFOUND|EAI_AGAIN)", r"UnknownHostException",
         r"Could not resolve host", r"nodename nor servname provided", r"(?i)server misbehaving"),
        (("Resolve the failing name from where {component} runs",
          "Tells a missing record from a broken resolver",
          "kubectl exec deploy/{component} -- nslookup <host>"),
         ("Check CoreDNS / resolver health and recent DNS or service changes",
          "A deleted service or a resolver outage both show up this way",
          "kubectl -n kube-system logs -l k8s-app=kube-dns --tail=100")),
        0.85, 2,
        "name|host|nxdomain|enotfound|eai_again|resolv|misbehaving",
    ),
    _signature(
        "tls_error", "TLS certificate or handshake failure", Category.TLS,
        "TLS connections made or served by {component} fail (certificate or handshake).",
        (r"(?i)certificate has expired", r"x509: certificate", r"SSL routines",
         r"(?i)handshake failure", r"CERTIFICATE_VERIFY_FAILED", r"SSLHandshakeException",
         r"PKIX path building failed", r"(?i)unable to get local issuer certificate",
         r"(?i)self[- ]signed certificate", r"(?i)certificate is not yet valid",
         r"(?i)SSL certificate problem", r"tls: bad certificate"),
        (("Check the certificate's dates and chain",
          "Expired or untrusted certificates are the usual cause",
          "openssl s_client -connect <host>:443 -servername <host> </dev/null "
          "| openssl x509 -noout -dates -issuer"),
         ("Renew or rotate the certificate and reload {component}",
          "Services keep the old certificate until they reload", None)),
        0.85, 2,
        "certificate|x509|ssl|handshake|pkix|tls",
    ),
    _signature(
        "clock_skew", "Clock skew", Category.CLOCK,
        "The clock of {component}'s host is out of sync.",
        (r"(?i)clock skew", r"(?i)time is out of sync", r"RequestTimeTooSkewed",
         r"(?i)clock (?:is )?(?:unsynchroni[sz]ed|not synchroni[sz]ed)",
         r"(?i)time difference .* too (?:large|great)"),
        (("Check time synchronisation", "Skew breaks tokens, leases and TLS",
          "timedatectl status; chronyc tracking"),),
        0.8, 2,
        "clock|sync|skew|time difference",
    ),
    _signature(
        "missing_config", "Missing configuration", Category.CONFIGURATION,
        "{component} is missing configuration (an environment variable, config map or secret).",
        (r"KeyError: '[A-Z][A-Z0-9_]{2,}'", r"(?i)environment variable \S+ (?:is )?not set",
         r"(?i)configmaps? \"?[\w.-]+\"? not found", r"(?i)secrets? \"?[\w.-]+\"? not found",
         r"couldn't find key \S+ in (?:ConfigMap|Secret)", r"CreateContainerConfigError",
         r"(?i)missing required (?:config|configuration|environment variable)"),
        (("Compare the deployed configuration with what {component} expects",
          "A renamed or missing key fails at start-up",
          "kubectl get deploy {component} -o yaml | grep -A40 'env:'"),
         ("Check the config maps and secrets it references exist in the namespace",
          "A missing one blocks the container from starting", "kubectl get configmap,secret")),
        0.8, 2,
        "keyerror|environment|configmap|secret|find key|configerror|missing required",
    ),
    _signature(
        "service_account_token_missing", "No ServiceAccount token in the pod",
        Category.CONFIGURATION,
        "{component} runs without its ServiceAccount token (`automountServiceAccountToken:"
        " false`, or no token projected), so its in-cluster Kubernetes client cannot start.",
        (r"Service token file does not exist",
         r"/var/run/secrets/kubernetes\.io/serviceaccount/token: no such file",
         r"unable to load in-cluster configuration"),
        (("Check the pod spec mounts the ServiceAccount token",
          "automountServiceAccountToken: false on the pod or its ServiceAccount removes it",
          "kubectl get pod -l app={component} -o yaml | grep -n -i -A3 automount"),),
        0.85, 2,
        "token|in-cluster",
    ),
    _signature(
        "crash", "Crash (segfault or panic)", Category.CODE_ERROR,
        "{component} crashed (segmentation fault or panic).",
        (r"segfault at [0-9a-f]+", r"(?<!kernel )\bpanic: ", r"\bSIGSEGV\b",
         r"Segmentation fault", r"(?i)core dumped", r"invalid memory address or nil pointer"),
        (("Read the first panic or segfault and its stack", "The first crash names the faulty code",
          "kubectl logs deploy/{component} --previous"),
         ("Check what was deployed just before the first crash",
          "A new release is the usual trigger", "kubectl rollout history deploy/{component}")),
        0.75, 3,
        "segfault|panic|sigsegv|segmentation|core dumped|nil pointer",
    ),
    _signature(
        "message_schema_mismatch", "Messages not matching the consumer's schema", Category.DATA,
        "Records {component} receives no longer match the schema it expects (a renamed,"
        " missing or retyped field): the producer's format changed.",
        (r"\d+ validation errors? for (?!Settings\b|Config\b|BaseSettings\b)[A-Z]\w+",
         r"\b(?:UnrecognizedPropertyException|MismatchedInputException|InvalidFormatException)\b",
         r"Cannot deserialize value of type", r"\bis a required property\b",
         r"\bAvroTypeException\b", r"Unknown magic byte!", r"Error deserializing (?:key|value)",
         r"\bInvalidProtocolBufferException\b"),
        (("Compare a rejected record with the schema the consumer expects",
          "A renamed or retyped field shows in the first rejected record", None),
         ("Check which producer released just before the first rejection",
          "Producer and consumer must change their schema together", None)),
        0.8, 3,
        "validation error|exception|deserializ|required property|magic byte",
    ),
    _signature(
        "schema_error", "Schema or data error", Category.DATA,
        "Queries from {component} do not match the database schema or violate its constraints.",
        (r"relation \"[^\"]+\" does not exist",
         r"column \"?[\w.]+\"? (?:of relation \S+ )?does not exist",
         r"violates (?:foreign key|unique|check|not-null) constraint", r"duplicate key value",
         r"Table '[^']+' doesn't exist", r"Unknown column '[^']+'",
         r"Duplicate entry '[^']*' for key"),
        (("Compare the schema with what the running code expects",
          "A missing or pending migration is the usual cause", "psql -c '\\d <table>'"),
         ("Check whether a migration ran with the last release",
          "Code and schema must move together", None)),
        0.8, 3,
        "exist|violates|duplicate|unknown column",
    ),
    _signature(
        "unit_config_rejected", "Service manager rejecting part of a unit's configuration",
        Category.CONFIGURATION,
        "The service manager ignores part of {component}'s configuration (an invalid"
        " environment assignment or unit setting), so it runs without the values it needs.",
        (r"Ignoring invalid environment assignment", r"Unknown key name '[^']+' in section",
         r"\bUnknown lvalue '[^']+' in section", r"has a bad unit file setting",
         r"Failed to load environment files?\b"),
        (("Check the unit's environment file and settings as systemd reads them",
          "systemd skips assignments it cannot parse (dots or dashes in a name) and says so once"
          " per start", "systemctl cat {component}; systemctl show -p Environment {component}"),),
        0.8, 2,
        "ignoring invalid|unknown key|unknown lvalue|bad unit file|environment file",
    ),
    _signature(
        "bootstrap_check_failed", "Host settings below what the server requires at start",
        Category.CONFIGURATION,
        "{component} refuses to start because a bootstrap check fails on its host (Elasticsearch"
        " or OpenSearch: vm.max_map_count, open files, memory lock, threads): the node's"
        " kernel or limits settings are below what it requires, so it exits (code 78) and"
        " restarts.",
        (r"bootstrap checks? failed", r"bootstrap check failure \[\d+\] of \[\d+\]"),
        (("Raise the setting the check names on the nodes (vm.max_map_count=262144, nofile"
          " limits), or run the chart's sysctl init container",
          "Elasticsearch enforces these checks in production mode and exits with code 78",
          "kubectl debug node/<node> -it --image=busybox -- sysctl vm.max_map_count"),),
        0.85, 2,
        "bootstrap check",
    ),
    _signature(
        "link_down", "Network link going down", Category.NETWORK,
        "{component}'s network interface loses its link (the NIC reports carrier down, then up"
        " again): every connection through it stalls or breaks for as long as the link is"
        " down, and clustered software on the host sees its peers vanish.",
        # Intel/Broadcom/Mellanox drivers: `eno1: NIC Link is Down`, `eth0: Link is Down`.
        (r"\b(?:NIC )?Link is Down\b", r"\bcarrier lost\b"),
        (("Count the link's carrier changes and check the cable, transceiver and switch port",
          "A flapping link shows rising carrier_changes and errors on the switch port",
          "cat /sys/class/net/<interface>/carrier_changes; ethtool -S <interface> | grep -i err;"
          " journalctl -k | grep -i 'link is'"),),
        0.8, 2,
        "link is down|carrier lost",
    ),
    _signature(
        "rabbitmq_partition", "RabbitMQ node cut off from its cluster", Category.NETWORK,
        "{component} lost contact with the other nodes of its RabbitMQ cluster (a network"
        " partition: Erlang's net_tick_timeout expired), so the partition handling"
        " (pause_minority) paused it and closed every client connection on it.",
        (r"Cluster minority/secondary status detected", r"(?i)partial partition detected",
         r"Mnesia\(\S+\): \*\* ERROR \*\* mnesia_event got \{inconsistent_database",
         r"rabbit_node_monitor.*\bnode \S+ down\b"),
        (("Find why the node lost its peers: its network link, a saturated interface, a long"
          " pause of the VM",
          "pause_minority pauses the side with fewer nodes until the partition heals",
          "rabbitmq-diagnostics cluster_status; journalctl -k | grep -i link"),),
        0.75, 3,
        "minority|partition|inconsistent_database|node_monitor",
    ),
    _signature(
        "kafka_producer_fenced", "Kafka producers fencing each other", Category.CONFIGURATION,
        "{component}'s transactional producers share one transactional.id: each instance that"
        " starts (or restarts) fences the others (ProducerFencedException), so their"
        " transactions keep aborting. A transactional.id must be unique per producer instance.",
        (r"\bProducerFencedException\b",
         r"There is a newer producer with the same transactionalId"),
        (("Give each instance its own transactional.id (the pod's name or ordinal in it)",
          "Two live producers with one transactional.id fence each other in turn",
          "kubectl get pods -l app={component}; grep -rn transactional.id <config>"),),
        0.8, 2,
        "producerfenced|newer producer",
    ),
    _signature(
        "data_store_at_loopback", "Client connecting to its database at localhost",
        Category.CONFIGURATION,
        "{component} connects to its database at localhost, where nothing listens: the"
        " setting naming the database's host is missing or empty (a renamed"
        " key, an unset variable, an optional reference that resolved to nothing), so the"
        " client fell back to its default of localhost.",
        # psycopg `connection to server at "127.0.0.1", port 5432 failed: Connection refused`,
        # Go `dial tcp [::1]:3306: connect: connection refused`, JDBC `Connection to
        # localhost:5432 refused`. Not caches: a local Redis beside its app is common.
        (r"(?:at|to|tcp|ECONNREFUSED)\s+\"?(?:127\.0\.0\.1|localhost|\[::1\])\"?(?:,\s*port\s+|:)"
         r"(?:5432|3306|27017|9042)\b.{0,60}\brefused",),
        (("Check the environment the pods started with for the server's host setting",
          "An optional ConfigMap or Secret key that was renamed leaves the variable unset"
          " without any error; a sidecar proxy meant to listen there would be another cause",
          "kubectl exec deploy/{component} -- env | grep -i -e host -e url; kubectl get"
          " deploy {component} -o yaml | grep -B2 -A4 configMapKeyRef"),),
        0.9, 2,
        "refused",
    ),
    _signature(
        "redis_script_busy", "Redis blocked by a long script", Category.CODE_ERROR,
        "A Lua script (or function) runs for seconds in Redis: Redis runs one command at a"
        " time, so {component} and every other client get BUSY errors or time out until it"
        " ends. The client running the script is the cause.",
        (r"\bBUSY Redis is busy running a script\b",
         r"Slow script detected: still in execution after \d+ milliseconds"),
        (("Find which client runs the script (SLOWLOG shows EVALSHA with the client's name)"
          " and bound its work",
          "A script blocks the whole server for as long as it runs",
          "redis-cli SLOWLOG GET 10; redis-cli SCRIPT KILL"),),
        0.85, 2,
        "busy running a script|slow script detected",
    ),
    _signature(
        "permission_denied", "Permission denied", Category.PERMISSION,
        "{component} is denied access (file permissions, credentials or RBAC/IAM).",
        (r"(?i)permission denied", r"\bEACCES\b", r"\bAccessDenied(?:Exception)?\b",
         r"is forbidden: User \"[^\"]+\" cannot", r"Access denied for user",
         r"password authentication failed for user", r"(?i)\b403 Forbidden\b",
         r"(?i)not authorized to perform", r"\bNOAUTH Authentication required",
         r"\bWRONGPASS invalid username-password pair",
         # Vault's Kubernetes auth refusing a pod's service account or namespace.
         r"\b(?:namespace|service account name) not authorized\b",
         # An API refusing the key or token a client signs its calls with.
         r"\b401 Unauthorized\b", r"(?i)\binvalid[_ ]api[_ ]key\b", r"\(HTTP 401\)",
         r"(?i)\bAuthentication failed: ",
         # EPERM: a syscall a seccomp profile, a missing capability or the user refuses.
         r"(?i)\bOperation not permitted\b"),
        (("Check the identity {component} runs as and what it may do",
          "A rotated credential or a changed role is the usual cause",
          "kubectl auth can-i --list --as=system:serviceaccount:<namespace>:{component}"),
         ("Check recent changes to credentials, roles and file ownership",
          "Denials begin right after such a change", None)),
        0.75, 3,
        "permission|eacces|accessdenied|access denied|forbidden|password|not authorized|noauth"
        "|wrongpass|unauthorized|api_key|api key|operation not permitted|http 401"
        "|authentication failed",
    ),
    _signature(
        "rate_limited", "Rate limited", Category.RATE_LIMIT,
        "{component} is being rate limited or throttled by a dependency.",
        (r"HTTP/[\d.]+\"\s+429\b", r"\b429 Too Many Requests\b", r"(?i)too many requests",
         r"(?i)rate limit(?:ed|ing)?(?: \w+)? exceeded", r"\bThrottlingException\b",
         r"\bThrottling\b", r"RequestLimitExceeded", r"limiting requests, excess:",
         r"\bstatus(?:_code|Code)?[\"']?\s*[=:]\s*[\"']?429\b",
         # Mailbox providers deferring a sender's mail for its volume: Gmail's 421 4.7.28,
         # Microsoft's 451 4.7.500 "Server busy", Yahoo's TSS04 "unexpected volume".
         r"\b421[- ]4\.7\.28\b", r"\b451 4\.7\.500\b", r"\[TSS0\d\]"),
        (("Find who is throttling and the quota in effect",
          "The response headers usually name the limit", None),
         ("Add backoff or raise the quota", "Retries without backoff make throttling worse", None)),
        0.6, 4,
        "429|too many|rate limit|throttl|limit|4.7.28|4.7.500|tss0",
    ),
    _signature(
        "connection_refused", "Connection refused by a dependency", Category.DEPENDENCY,
        "A service {component} depends on is down or not listening.",
        (r"(?i)connection refused", r"\bECONNREFUSED\b", r"Errno 111\b",
         r"(?i)no healthy upstream", r"upstream connect error",
         r"(?i)max number of clients reached"),
        (("Check the dependency {component} is calling is running and listening",
          "Refusals mean nothing accepts connections at that address",
          "kubectl get pods,endpoints -o wide"),
         ("Read the dependency's own logs around the first refusal",
          "Its crash or restart is the cause; the refusals are the symptom", None)),
        0.6, 4,
        "refused|errno 111|upstream|max number of clients",
    ),
    _signature(
        "proxy_queue_timeout", "Requests expired in the proxy's queue for a server slot",
        Category.CONFIGURATION,
        "{component} held requests in its queue until `timeout queue` and answered 503: every"
        " server of the backend was at its maxconn. With the servers idle, that maxconn is set"
        " too low (a template or default-server change); with them busy, they are too slow.",
        # HAProxy's httplog: 503 with termination state `sQ` (expired in the server queue).
        (r"\s503\s+-?\d+\s+\S+\s+\S+\s+sQ[A-Z-]{2}\s",),
        (("Compare each server's current sessions with its maxconn, and the queue with"
          " `timeout queue`",
          "scur at slim on every server with a growing qcur means the limit, not the servers,"
          " holds the requests back",
          "echo 'show stat' | socat stdio /run/haproxy/admin.sock | cut -d, -f1-7,18"),),
        0.7, 2,
        "sq",
    ),
    _signature(
        "jvm_option_rejected", "JVM refuses a start-up option", Category.DEPLOYMENT,
        "{component}'s JVM refuses an option it is started with (a flag removed in the Java"
        " version the new image ships, kept in JAVA_TOOL_OPTIONS or the start script), so it"
        " exits before starting and the container crash-loops.",
        (r"Unrecognized VM option '[^']+'", r"Unrecognized option: -",
         r"Could not create the Java Virtual Machine"),
        (("Find the option the JVM names and drop or replace it for this Java version",
          "Options removed in newer JDKs (UseCGroupMemoryLimitForHeap, PermSize, CMS) stop the"
          " JVM at start; the image's Java version changed under the old flags",
          "kubectl logs <pod> --previous | head -5; kubectl get pod <pod> -o yaml | grep -A2"
          " JAVA_"),),
        0.85, 1,
        "unrecognized vm option|unrecognized option|could not create the java virtual machine",
    ),
    _signature(
        "exec_format_error", "Image built for another CPU architecture", Category.DEPLOYMENT,
        "{component}'s image was built for another CPU architecture than the node it runs on"
        " (an amd64-only image on arm64 nodes, or the reverse), so its program cannot be"
        " executed and the container exits at once.",
        (r"\bexec format error\b",),
        (("Compare the image's platforms with the architecture of the nodes its pods fail on",
          "Pods running on nodes of one architecture and crashing on the others say the image"
          " lacks that platform: publish a multi-arch image or keep the pods off those nodes",
          "kubectl get nodes -L kubernetes.io/arch; docker manifest inspect <image> | grep"
          " architecture"),),
        0.9, 1,
        "exec format error",
    ),
    _signature(
        "topic_not_found", "Client names a topic that does not exist", Category.CONFIGURATION,
        "{component} produces to (or reads) a Kafka topic the cluster does not have (a renamed"
        " or mistyped topic setting) and, with topic auto-creation off, every send waits for"
        " metadata until it times out.",
        (r"\{[\w.-]+=UNKNOWN_TOPIC_OR_PARTITION\}",
         r"Topic [\w.-]+ not present in metadata after \d+ ms"),
        (("Compare the topic the client names with the cluster's topic list",
          "A topic setting renamed in a release points at a topic nobody created; the broker"
          " will not create it when auto.create.topics.enable is false",
          "kafka-topics.sh --bootstrap-server <broker> --list | grep -i <topic>"),),
        0.8, 2,
        "unknown_topic_or_partition|not present in metadata",
    ),
    _signature(
        "write_to_replica", "Writes sent to a read-only replica", Category.CONFIGURATION,
        "{component} sends its writes to a database that is now a read-only replica: it is"
        " pinned to one address (a fixed host or IP instead of Sentinel, the cluster's writer"
        " endpoint or the failover-aware service), so after a failover it still talks to the"
        " old primary and every write fails.",
        (r"READONLY You can't write against a read only replica",
         r"cannot execute (?:INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|COPY)\b.*"
         r"in a read-only transaction",
         r"is running with the --(?:super-)?read-only option so it cannot execute"),
        (("Ask the address the client uses for its role, and the failover manager for the"
          " current primary",
          "A replica answers reads and refuses writes; the client must follow the primary"
          " (Sentinel, a writer endpoint) instead of a fixed address",
          "redis-cli -h <address> role; redis-cli -p 26379 sentinel"
          " get-master-addr-by-name <name>"),),
        0.85, 2,
        "readonly|read-only|read only",
    ),
    _signature(
        "health_check_wrong_code", "Health checks answered with the wrong code",
        Category.CONFIGURATION,
        "{component}'s health checks reach the servers but get a redirect or a 404 instead of"
        " the status they expect (the check's path or the servers' routes changed), so it"
        " marks healthy servers down and has none left to send requests to.",
        # HAProxy: "Server be/srv is DOWN, reason: Layer7 wrong status, code: 404".
        (r"Layer7 wrong status, code: [34]\d\d\b",),
        (("Ask the health path the way the check does and compare it with the check's"
          " configuration",
          "A check path renamed on one side only fails every server at once; a 5xx would be"
          " the servers failing instead",
          "curl -si http://<server>:<port><check-path> | head -3; grep -n httpchk"
          " /etc/haproxy/haproxy.cfg"),),
        0.7, 2,
        "layer7",
    ),
    _signature(
        "upstream_errors", "Upstream returning errors", Category.DEPENDENCY,
        "An upstream of {component} answers with 5xx errors.",
        (r"HTTP/[\d.]+\"\s+50[023]\b", r"\b502 Bad Gateway\b",
         r"\b503 Service (?:Temporarily )?Unavailable\b",
         r"upstream prematurely closed connection"),
        (("Find which upstream fails and read its logs",
          "The gateway only relays the failure", None),),
        0.45, 5,
        "500|502|503|bad gateway|unavailable|upstream",
    ),
    _signature(
        "client_disconnected", "Clients closing connections before the answer",
        Category.NETWORK,
        "{component}'s clients (or the proxy in front of it) gave up and closed the connection"
        " before it answered: a client-side or proxy timeout shorter than the requests take.",
        # Not nginx's "client closed connection while waiting for request": keep-alive ends so.
        (r"\bClientAbortException\b", r"HTTP/[\d.]+\"\s+499\b"),
        (("Find who closed the connections: the proxy or client in front of {component} and its"
          " timeouts", "A connection closed mid-answer means the caller stopped waiting; compare"
          " its timeout with how long the requests take", None),),
        0.35, 5,
        "clientabort|499",
    ),
    _signature(
        "timeout", "Timeouts", Category.NETWORK,
        "Calls made by {component} are timing out.",
        # A call that timed out and then succeeded on retry is a transient, not a failure.
        (rf"(?i)\btimed out\b(?!.{{0,60}}{RETRY_SUCCEEDED})",
         r"(?i)deadline exceeded", r"\bDEADLINE_EXCEEDED\b",
         r"upstream timed out \(110", r"\b504 Gateway", r"HTTP/[\d.]+\"\s+504\b",
         r"(?i)gateway time-?out", r"SocketTimeoutException", r"\bETIMEDOUT\b", r"\bi/o timeout\b",
         # HAProxy's httplog: status 504 with a termination state starting `s` (server timeout).
         r"\s504\s+-?\d+\s+\S+\s+\S+\s+s[A-Z-]{3}\s"),
        (("Find the slowest dependency on the path of the timed-out calls",
          "Timeouts are usually a symptom of something slow or saturated behind them", None),
         ("Check the dependencies' latency, saturation and errors around the first timeout",
          "The first thing to slow down is the likely cause", None)),
        0.4, 5,
        "timed out|deadline|504|time-out|timeout|etimedout",
    ),
)
# fmt: on
# Failures that live at the far end of the connection the line describes, as do those only
# one kind of server reports (`peers.SERVER_OF_SIGNATURE`).
_REMOTE = frozenset(
    {
        "connection_refused",
        "upstream_errors",
        "timeout",
        "tls_error",
        "nfs_server_not_responding",
        *SERVER_OF_SIGNATURE,
    }
)  # fmt: skip
_PLACED_STATEMENTS = {
    "connection_refused": "{component} is down or not listening: {reporter}'s connections to it"
    " are refused.",
    "upstream_errors": "{component} answers {reporter}'s requests with 5xx errors.",
    "oom": "{component} is at its memory limit and refuses {reporter}'s writes (Redis's"
    " `OOM command not allowed` at maxmemory): keys written without expiry, or a noeviction"
    " policy, keep it full.",
    "timeout": "{component} is slow or unreachable: {reporter}'s calls to it time out.",
    "dns_failure": "{component} fails {reporter}'s lookups, so {reporter} cannot resolve the"
    " names it depends on.",
    "tls_error": "{reporter}'s TLS connections to {component} fail (its certificate or handshake).",
    "nfs_server_not_responding": "The NFS server {component} stopped answering: {reporter}'s"
    " processes touching the mount hang until it returns.",
    "packet_too_large": "{component} refuses statements larger than its max_allowed_packet:"
    " {reporter}'s large inserts and uploads fail while small ones work.",
    "consumer_ack_timeout": "{component}'s consumer_timeout is shorter than {reporter} takes to"
    " acknowledge a delivery: the broker closes its channel and requeues the delivery, which"
    " starts over and times out again.",
}
# Limits a process sets once at start-up and keeps (a cut maxclients), and failures that leave
# a lasting state (a log cleaner thread that died stays dead until a restart): they bite later.
_STANDING = frozenset({"file_limit_lowered", "kafka_log_cleaner_failed"})
# Failures a line places at the thing it names: systemd reports a unit's bad configuration
# for `settlement-worker.service:`; Cassandra's tombstones belong to the table the query read.
_SUBJECTS = {
    "service_name_missing": re.compile(r"lookup ([a-z0-9-]+)\.[a-z0-9-]+\.svc\b"),
    # `in database "ledger"`, escaped inside a JSON log line as `\"ledger\"`.
    "xid_wraparound": re.compile(r'\bdatabase (?:with OID \d+ )?\\?"([\w.-]+)\\?"'),
    "unit_config_rejected": re.compile(r"\b([\w@.-]+)\.service:"),
    "cassandra_tombstones": re.compile(r"\bFROM\s+(?:\"?\w+\"?\.)?\"?(\w+)\"?", re.IGNORECASE),
}
BUILTIN_SIGNATURES = tuple(
    replace(
        sig,
        remote=sig.id in _REMOTE,
        placed_statement=_PLACED_STATEMENTS.get(sig.id),
        subject=_SUBJECTS.get(sig.id),
        standing=sig.id in _STANDING,
    )
    for sig in BUILTIN_SIGNATURES
)

_BY_SPECIFICITY = sorted(BUILTIN_SIGNATURES, key=lambda sig: (-sig.weight, sig.causal_rank))
# Every keyword of every signature: a line holding none of them matches no signature, which
# rules out most lines. Plain substring tests beat one big regex alternation here (about 4x:
# Python's regex engine tries each alternative at each position).
_PREFILTER_WORDS: tuple[str, ...] = tuple(
    sorted({word for sig in BUILTIN_SIGNATURES for word in sig.keywords}, key=len)
)
_ALWAYS_TRY = any(not sig.keywords for sig in BUILTIN_SIGNATURES)
SIGNATURES_BY_ID: dict[str, Signature] = {sig.id: sig for sig in BUILTIN_SIGNATURES}


def match_signature(text: str) -> str | None:
    """Return the id of the most specific built-in signature a line matches, or None."""
    lowered = text.lower()
    if not _ALWAYS_TRY and not any(word in lowered for word in _PREFILTER_WORDS):
        return None
    for signature in _BY_SPECIFICITY:
        if signature.matches(text, lowered):
            return signature.id
    return None
