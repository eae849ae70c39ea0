"""Pasted command output as failure signatures: a full filesystem, a client hoarding sessions.

A table someone pasted has no time; it says what the case looked like when they ran the
command. It rarely stands alone as a cause: it says where the cause of dated failures
lives (who holds the connections the database refuses) or what it is (inodes, not space).
"""

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.signatures import NextStepTemplate, Signature


def _snapshot(
    id: str, title: str, category: Category, statement: str, step: NextStepTemplate
) -> Signature:
    return Signature(id, title, category, statement, (), (step,), 0.6, 2, snapshot=True)


SNAPSHOT_SIGNATURES = (
    _snapshot(
        "snapshot_filesystem_full", "Filesystem full", Category.DISK,
        "A filesystem used by {component} is full, so writes fail.",
        ("Find what fills the filesystem", "The largest directories and files show the writer",
         "du -xh --max-depth=2 / 2>/dev/null | sort -h | tail -20"),
    ),
    _snapshot(
        "snapshot_inodes_full", "Out of inodes", Category.DISK,
        "A filesystem used by {component} ran out of inodes (too many small files), so"
        " creating files fails with “No space left on device” although space is free.",
        ("Find the directory holding millions of small files",
         "Session, cache or mail spool directories are the usual culprits",
         "sudo du -x --inodes / 2>/dev/null | sort -n | tail -20"),
    ),
    _snapshot(
        "snapshot_connections_held", "Connections held by one client", Category.CONNECTION_POOL,
        "{component} holds most of the database's connections and leaves them idle (a"
        " connection leak or an oversized pool), so the database refuses new clients.",
        ("See what {component}'s sessions last ran and since when",
         "A leak leaves sessions idle (or idle in transaction) after their last query",
         "psql -c \"select pid, state, state_change, left(query, 80) from pg_stat_activity"
         " where application_name = '{component}' order by state_change limit 20\""),
    ),
    _snapshot(
        "snapshot_pool_starved", "Thread pool starved", Category.CONNECTION_POOL,
        "Every thread of a pool in {component} is stuck waiting (a thread-pool starvation or"
        " deadlock: tasks wait for work queued behind them), so its requests hang while the"
        " CPU stays idle.",
        ("Take two more thread dumps a few seconds apart and compare the stuck frames",
         "Threads that stay in the same frame are stuck, not busy; blocking on work submitted"
         " to the same pool starves it", "jcmd $(pgrep -f {component}) Thread.print"),
    ),
    _snapshot(
        "snapshot_thread_deadlock", "Java-level deadlock", Category.CODE_ERROR,
        "Threads of {component} are deadlocked: each holds a lock another waits for, so"
        " the requests they serve never finish.",
        ("Read the deadlock section of the thread dump: which locks, taken in which order",
         "Taking locks in one global order removes the cycle",
         "jcmd $(pgrep -f {component}) Thread.print | sed -n '/deadlock/,$p'"),
    ),
    _snapshot(
        "snapshot_listen_queue_full", "Listen queue full", Category.NETWORK,
        "The accept queue of a listening socket on {component} is full (the backlog, capped by"
        " net.core.somaxconn, is too small or the application accepts too slowly), so new"
        " connections are dropped and clients time out connecting.",
        ("Compare the socket's backlog with net.core.somaxconn on this host and its peers",
         "A host rebuilt without the tuned sysctl keeps the kernel default of 128 or 4096",
         "sysctl net.core.somaxconn; nstat -az TcpExtListenOverflows"),
    ),
    _snapshot(
        "snapshot_tls_settings_refuse", "TLS settings refuse the server's handshake",
        Category.TLS,
        "{component}'s own TLS settings (system crypto policy, minimum protocol, OpenSSL"
        " version) refuse what the server offers (a small DH key, an old protocol or cipher),"
        " while other hosts complete the same handshake.",
        ("Compare the crypto policy and OpenSSL version of this host and a working one",
         "A rebuilt host gets stricter defaults (RHEL 9 DEFAULT, OpenSSL 3 security level 2)",
         "update-crypto-policies --show; openssl version; openssl s_client -connect HOST:443"),
    ),
    _snapshot(
        "snapshot_clock_unsynchronised", "Time service not running", Category.CLOCK,
        "The time service on {component} is stopped, masked or not synchronised, so its clock"
        " drifts (or stays wherever a resume left it): signed requests, tokens and"
        " certificates checked against it fail.",
        ("Start the time service and step the clock, then find why it was off",
         "A masked chronyd, a template without NTP, or a resumed VM explain a clock left behind",
         "timedatectl; chronyc tracking; systemctl status chronyd"),
    ),
    _snapshot(
        "snapshot_prepared_transaction", "Prepared transaction holding back vacuum",
        Category.DATABASE,
        "A two-phase transaction left prepared (its coordinator never committed or rolled it"
        " back) holds back the database's vacuum horizon: dead rows are not removed, tables"
        " bloat, and queries over them slow down until they time out.",
        ("Find who prepared the transaction and commit or roll it back",
         "pg_stat_activity does not show it: it belongs to no session",
         "psql -c \"select gid, prepared, owner, database from pg_prepared_xacts order by"
         " prepared\""),
    ),
    _snapshot(
        "snapshot_sync_standby_missing", "Synchronous standby not connected", Category.DATABASE,
        "{component} is the synchronous standby the primary waits for, and it is not"
        " connected: every commit on the primary waits for it (wait event SyncRep), so writes"
        " hang and their clients time out while reads still work.",
        ("Bring the standby back, or take it out of synchronous_standby_names and reload",
         "With one named standby there is no other to acknowledge; list two (ANY 1 (a, b))",
         "psql -c \"select application_name, state, sync_state from pg_stat_replication\";"
         " systemctl status 'postgresql*'"),
    ),
    _snapshot(
        "snapshot_hosts_file_pin", "Name pinned in /etc/hosts to an old address", Category.DNS,
        "{component} resolves a name from its own /etc/hosts to an address DNS no longer gives"
        " (an entry left from an outage or a migration), so it alone keeps talking to the old"
        " server while every other host follows DNS.",
        ("Remove the stale /etc/hosts entry (and find what else pinned names by hand)",
         "getent answers from files first; dig asks DNS only",
         "grep -v '^#' /etc/hosts; getent hosts <name>; dig +short <name>"),
    ),
    _snapshot(
        "snapshot_dns_tcp_blocked", "DNS over TCP dropped by the server's firewall", Category.DNS,
        "{component}'s firewall accepts DNS over UDP only: answers too big for UDP come back"
        " truncated, the clients' retries over TCP port 53 are dropped, and lookups of names"
        " with many records (or signed ones) time out while small ones still resolve.",
        ("Accept TCP port 53 beside UDP in the DNS server's firewall",
         "DNS falls back to TCP for any answer over the UDP size; both must be open",
         "nft list ruleset | grep -n 'dport 53'; dig +tcp <name> @<server>"),
    ),
    _snapshot(
        "snapshot_linklocal_allowance_exceeded", "Lookups dropped at the instance's link-local"
        " packet limit", Category.DNS,
        "{component} sends more than 1024 packets per second to link-local services (the VPC"
        " DNS resolver), so the hypervisor drops the excess: lookups go unanswered and fail"
        " intermittently under load (no local DNS cache absorbs the repeats).",
        ("Run a local DNS cache on the host (dnsmasq, systemd-resolved, nscd) and watch the"
         " counter stop growing", "Each instance may send only 1024 packets per second to the"
         " resolver; a cache answers the repeats itself",
         "ethtool -S <iface> | grep allowance; cat /etc/resolv.conf"),
    ),
    _snapshot(
        "snapshot_allowance_exceeded", "Packets dropped at the instance's network allowance",
        Category.NETWORK,
        "{component} goes past its instance type's network allowance (packets per second,"
        " bandwidth or tracked connections), so the hypervisor silently drops packets and"
        " connections time out or retransmit.",
        ("Watch which allowance counter grows and move to a larger instance type or spread"
         " the load", "The limits come with the instance type, not the interface",
         "ethtool -S <iface> | grep allowance"),
    ),
    _snapshot(
        "snapshot_trust_store_outdated", "Outdated trust store on one host", Category.TLS,
        "TLS verification of the same endpoint passes from other hosts but fails on"
        " {component}: the server's chain is fine, and {component}'s trust store (its CA"
        " bundle) lacks the issuer the server now uses.",
        ("Update the CA bundle on this host (and find what pinned it)",
         "A host that stopped taking ca-certificates updates cannot verify newer chains",
         "rpm -q ca-certificates || dpkg -l ca-certificates"),
    ),
    _snapshot(
        "snapshot_timeout_lowered", "Timeout cut by a configuration change",
        Category.CONFIGURATION,
        "A configuration change on {component} cut a timeout to a fraction of its old value,"
        " so every request that takes longer is cut off: the timeouts and dropped connections"
        " that followed are its victims, not a slow backend.",
        ("Restore the old timeout (or set it above the slowest legitimate request) and reload",
         "Requests that used to finish fail at exactly the new timeout; the backend itself is"
         " no slower", None),
    ),
    _snapshot(
        "snapshot_health_check_code_mismatch", "Health checks answered with the wrong code",
        Category.CONFIGURATION,
        "{component}'s targets answer the load balancer's health check, but not with the code"
        " the target group expects (a redirect to HTTPS or a login page, or a 404 for a moved"
        " health path, from a configuration change on them): every target is marked"
        " unhealthy, the edge answers 502/503, and an Auto Scaling group replaces instances"
        " that were never broken.",
        ("Ask the health path the way the load balancer does and see what it answers",
         "A redirect rule added for all plain-HTTP requests also catches the health check;"
         " exempt the health path or match on X-Forwarded-Proto only for client traffic",
         "curl -si http://<target-ip>/<health-path> | head -5; aws elbv2 describe-target-groups"
         " --names <target-group> --query 'TargetGroups[0].Matcher'"),
    ),
    _snapshot(
        "snapshot_softirq_one_cpu", "Network interrupts saturating one CPU", Category.CPU,
        "Every network queue of {component} interrupts the same CPU (irqbalance missing or the"
        " IRQ affinity pinned after a rebuild): at peak that CPU is saturated in softirq while"
        " the others idle, the kernel drops packets it cannot process, and requests through"
        " {component} slow down or time out.",
        ("Spread the NIC's queue interrupts over the CPUs (start irqbalance, or set"
         " smp_affinity per queue) and watch softnet drops stop",
         "The host's average CPU hides one core at 100% %soft; a healthy peer shows the"
         " queues on many CPUs",
         "systemctl status irqbalance; grep -E 'CPU|TxRx' /proc/interrupts | head;"
         " mpstat -P ALL 1 1"),
    ),
    _snapshot(
        "snapshot_route_missing", "Route missing from one route table", Category.NETWORK,
        "{component} lacks a route its sibling route tables have (a peering or transit route"
        " left out when a new subnet or zone was added), so instances in its subnets send that"
        " traffic to the default route and their connections there time out while the same"
        " service elsewhere works.",
        ("Add the missing route to the table (and to the code that created it)",
         "Only instances in the subnets using this table fail; compare it with a sibling's",
         "aws ec2 describe-route-tables --filters Name=tag:Name,Values=<table>"
         " --query 'RouteTables[].Routes'"),
    ),
    _snapshot(
        "snapshot_node_dns_cache_missing", "Node-local DNS cache missing from some nodes",
        Category.DNS,
        "{component} does not run on every node (its tolerations or node selector miss a new"
        " or tainted node pool): pods on those nodes still send lookups to the cache's"
        " link-local address, where nothing answers, so every lookup times out there while"
        " pods on other nodes resolve.",
        ("Let the DaemonSet tolerate the pool's taints (or select its nodes) and check that"
         " DESIRED matches the node count",
         "kube-proxy and the CNI agent run on every node; a DNS cache desiring fewer misses"
         " some", "kubectl -n kube-system get ds; kubectl describe node <node> | grep -A2"
         " Taints"),
    ),
    _snapshot(
        "snapshot_api_service_unavailable", "Aggregated API registered but unavailable",
        Category.DEPENDENCY,
        "An APIService backed by {component} is still registered but unavailable ({component}"
        " was removed or is failing): API discovery fails for the whole cluster, so namespaces"
        " stay Terminating, autoscalers cannot read their metrics and clients warn that the"
        " list of server APIs is incomplete.",
        ("Restore {component}, or delete the APIService it left behind",
         "An uninstalled adapter often leaves a hand-applied APIService; discovery waits on it",
         "kubectl get apiservice | grep False; kubectl delete apiservice <name>"),
    ),
    _snapshot(
        "snapshot_secret_encoded_twice", "Secret value encoded twice", Category.CONFIGURATION,
        "The Secret {component} reads its credential from holds the value base64-encoded"
        " twice (already-encoded text put under stringData, or encoded again under data), so"
        " {component} sends the base64 text instead of the credential and every call it signs"
        " with it is refused.",
        ("Decode the Secret's value and compare it with the credential it should hold",
         "stringData takes plain text; data takes base64 once",
         "kubectl get secret <name> -o jsonpath='{.data.<KEY>}' | base64 -d"),
    ),
    _snapshot(
        "snapshot_selector_shared", "Second workload behind a Service's selector",
        Category.DEPLOYMENT,
        "{component}'s pods carry the labels another workload's Service selects (a canary or"
        " copy deployed with the stable labels), so they take a share of that Service's"
        " requests; configured differently, that share fails while the rest succeeds.",
        ("Give {component} its own labels (or scale it to zero) and compare the endpoints",
         "The Service balances over every ready pod its selector matches, whatever their"
         " Deployment", "kubectl get endpoints <service> -o wide; kubectl get pods -l <selector>"
         " -L app.kubernetes.io/version"),
    ),
    _snapshot(
        "snapshot_default_ingress_class", "Ingresses taken by a new default IngressClass",
        Category.CONFIGURATION,
        "The IngressClass {component} is marked the cluster's default, so Ingresses created"
        " without ingressClassName are given it; the controller that served them before now"
        " ignores them and their hosts answer 404 from its default backend.",
        ("Set ingressClassName on the Ingress, and keep one class marked default",
         "Only one IngressClass should carry is-default-class; the class is fixed at creation",
         "kubectl get ingress -A; kubectl get ingressclass -o yaml | grep -B3 is-default-class"),
    ),
    _snapshot(
        "snapshot_cronjob_suspended", "CronJob left suspended", Category.CONFIGURATION,
        "The CronJob {component} is suspended (spec.suspend set, often for a maintenance"
        " window, and never set back), so none of its jobs has run since: the data it"
        " refreshes has aged until its readers report it stale.",
        ("Resume the CronJob and run it once by hand",
         "A suspended CronJob schedules nothing and reports no error",
         "kubectl patch cronjob {component} -p '{{\"spec\":{{\"suspend\":false}}}}';"
         " kubectl create job --from=cronjob/{component} {component}-manual"),
    ),
    _snapshot(
        "snapshot_endpoints_hand_written",
        "Service's hand-written Endpoints point at an old address",
        Category.CONFIGURATION,
        "The Service {component} has no selector: its Endpoints were written by hand to reach"
        " something outside the cluster, and still name the address it had before it moved"
        " (or was stopped), so every client connecting through {component} times out or is"
        " refused while the new address works.",
        ("Point the Endpoints (or EndpointSlice) at the new address, or make {component} an"
         " ExternalName Service for the new host name",
         "Nothing updates a selectorless Service's Endpoints when what they point at moves",
         "kubectl get endpoints {component} -o yaml; kubectl get endpointslices -l"
         " kubernetes.io/service-name={component} -o wide"),
    ),
    _snapshot(
        "snapshot_host_blocked", "Client host blocked by MySQL for connection errors",
        Category.CONFIGURATION,
        "MySQL blocked {component}'s address: connections from it that never completed the"
        " handshake (a load balancer's bare TCP health check, a flaky network) reached"
        " max_connect_errors, so every connection from {component}, and from every client"
        " behind it, is refused with \u201cHost is blocked because of many connection"
        " errors\u201d.",
        ("Unblock the host (FLUSH HOSTS, or truncate performance_schema.host_cache) and stop"
         " the failing connections: a health check speaking MySQL (option mysql-check), not a"
         " bare TCP connect",
         "Every aborted handshake counts against max_connect_errors until a successful"
         " connection resets it",
         "mysql -e \"SELECT ip, host, sum_connect_errors FROM performance_schema.host_cache\";"
         " mysqladmin flush-hosts"),
    ),
    _snapshot(
        "snapshot_redis_slow_script", "Lua script blocking Redis", Category.CODE_ERROR,
        "{component} runs a Lua script (EVAL/EVALSHA) in Redis that takes seconds: Redis runs"
        " one command at a time, so every other client waits or gets \u201cBUSY Redis is busy"
        " running a script\u201d until it ends. The script's work (a scan over every member"
        " of large keys) belongs in the client, in batches.",
        ("Find the script's loop in {component} and split it into bounded batches (or move it"
         " to a replica or off Redis)",
         "A script cannot be interrupted without SCRIPT KILL; its duration is Redis's outage",
         "redis-cli SLOWLOG GET 10; redis-cli SCRIPT KILL"),
    ),
    _snapshot(
        "snapshot_cross_zone_disabled", "Load balancer's cross-zone balancing turned off",
        Category.CONFIGURATION,
        "{component}'s cross-zone load balancing was turned off, so each zone's node sends its"
        " share of the traffic only to its own zone's targets: a zone with fewer targets"
        " overloads them (CPU, connections, timeouts, 503s) while the other zones idle.",
        ("Turn cross-zone balancing back on (or even out the targets across zones)",
         "Without cross-zone, each zone gets an equal share of traffic whatever its targets",
         "aws elbv2 describe-load-balancer-attributes --load-balancer-arn <arn> | grep"
         " cross_zone; aws elbv2 describe-target-health --target-group-arn <arn>"),
    ),
    _snapshot(
        "snapshot_first_resolver_dead", "First nameserver not answering", Category.DNS,
        "{component}'s /etc/resolv.conf lists first a nameserver that no longer answers: every"
        " lookup waits the resolver's full timeout (5 s by default) before the next"
        " nameserver answers, so {component}'s calls by name slow down by seconds and time"
        " out.",
        ("Remove the dead nameserver from {component}'s resolv.conf (and from the role or"
         " image that wrote it), or add `options timeout:1 attempts:2`",
         "`time getent hosts <name>` takes about 5 s while `dig @<second server>` answers"
         " at once",
         "cat /etc/resolv.conf; time getent hosts <name>; dig +tries=1 +time=2 @<first"
         " nameserver> <name>"),
    ),
    _snapshot(
        "snapshot_certificate_without_san", "Certificate without a Subject Alternative Name",
        Category.TLS,
        "The certificate {component} serves names its host only in the Common Name, with no"
        " Subject Alternative Name: clients that match host names against SANs only (Go"
        " since 1.15, browsers, recent Java and Python) refuse it (\u201crelies on legacy"
        " Common Name field\u201d), while older clients pass.",
        ("Reissue the certificate with the host name in subjectAltName (openssl req"
         " -addext \"subjectAltName=DNS:<name>\") and reload the server",
         "Only the SAN extension is matched by current clients",
         "openssl s_client -connect <host>:443 -servername <name> </dev/null 2>/dev/null |"
         " openssl x509 -noout -ext subjectAltName"),
    ),
    _snapshot(
        "snapshot_transaction_left_open", "Transaction left open for days", Category.DATABASE,
        "A session on {component} has been idle in a transaction opened long ago (a"
        " forgotten psql session, a client stopped between statements): it holds back the"
        " xmin horizon, so vacuum can neither remove dead rows nor freeze old ones, and the"
        " database approaches transaction-ID wraparound until it refuses writes.",
        ("End the session (pg_terminate_backend) and set idle_in_transaction_session_timeout",
         "Once it ends, vacuum can freeze again and age(datfrozenxid) falls",
         "psql -c \"SELECT pid, usename, xact_start, state FROM pg_stat_activity WHERE state"
         " LIKE 'idle in transaction%' ORDER BY xact_start\"; psql -c \"SELECT"
         " pg_terminate_backend(<pid>)\""),
    ),
    _snapshot(
        "snapshot_read_only_root", "Read-only root filesystem without a writable volume",
        Category.CONFIGURATION,
        "{component}'s container runs with readOnlyRootFilesystem: true, but the program"
        " writes under its root (a cache, temporary or upload directory) where no writable"
        " volume is mounted, so every such write fails with \u201cRead-only file system\u201d"
        " (EROFS).",
        ("Mount a writable emptyDir at the directory {component} writes to (or point the"
         " program at one that is mounted), keeping the root read-only",
         "The failing path in the EROFS errors names the directory that needs a volume",
         "kubectl get deploy {component} -o yaml | grep -n -A3 -E"
         " 'readOnlyRootFilesystem|volumeMounts'"),
    ),
    _snapshot(
        "snapshot_rewrite_to_root", "Ingress rewriting every request to /",
        Category.CONFIGURATION,
        "The Ingress {component} has `rewrite-target: /` without a capture group, so"
        " ingress-nginx replaces every request URI under its path with `/`: the backend"
        " receives only `/` and answers 404 (or its index) to every call. Controllers since"
        " 0.22 treat the target as the whole new URI; an upgrade past that turns a"
        " long-standing annotation into an outage.",
        ("Use a capture group: path `/partner(/|$)(.*)` with `pathType: ImplementationSpecific`"
         " and `rewrite-target: /$2` (or drop the annotation if the backend serves the prefix)",
         "The backend's access log shows every request arriving as `/`",
         "kubectl get ingress {component} -o yaml; kubectl -n ingress-nginx exec deploy/"
         "ingress-nginx-controller -- cat /etc/nginx/nginx.conf | grep -A3 rewrite"),
    ),
    _snapshot(
        "snapshot_zone_reclaim_on", "NUMA zone reclaim turned on", Category.MEMORY,
        "{component} runs with vm.zone_reclaim_mode on: when one NUMA node runs short of free"
        " pages the kernel reclaims that node's page cache, stalling processes in direct"
        " reclaim, instead of using the other node's free memory; a database server loses its"
        " cache and reads from disk at the peak.",
        ("Set vm.zone_reclaim_mode = 0 on {component} (and remove it from the sysctl"
         " profile that set it)",
         "numastat shows one node nearly without free memory while the other has plenty",
         "sysctl vm.zone_reclaim_mode; numastat -m; grep -r zone_reclaim /etc/sysctl.d/;"
         " sysctl -w vm.zone_reclaim_mode=0"),
    ),
    _snapshot(
        "snapshot_private_zone", "Private DNS zone not associated with the caller's network",
        Category.DNS,
        "{component} is a private hosted zone, answered only inside the VPCs associated with"
        " it: hosts in any other VPC (a new VPC, or one peered with an associated VPC, since"
        " peering does not share private zones) ask the public DNS and get NXDOMAIN for every"
        " name under it.",
        ("Associate the failing hosts' VPC with the private zone {component}",
         "Names resolve from hosts in the associated VPCs and fail from the others",
         "aws route53 get-hosted-zone --id <zone-id>; aws route53"
         " associate-vpc-with-hosted-zone --hosted-zone-id <zone-id> --vpc"
         " VPCRegion=<region>,VPCId=<vpc-id>"),
    ),
    _snapshot(
        "snapshot_must_staple_unstapled", "Must-Staple certificate served without a staple",
        Category.TLS,
        "The certificate {component} serves requires OCSP stapling (the TLS Feature"
        " status_request, Must-Staple, requested at its renewal) but {component} staples no"
        " OCSP response, so browsers that enforce it (Firefox) refuse the connection while"
        " others (Chrome, curl, monitoring) pass.",
        ("Set up OCSP stapling on the server (or reissue the certificate without"
         " Must-Staple)",
         "Firefox reports MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING; clients that do not"
         " enforce Must-Staple see nothing wrong",
         "openssl x509 -in cert.pem -noout -ext tlsfeature; echo | openssl s_client -connect"
         " <host>:443 -status 2>/dev/null | grep -A2 OCSP"),
    ),
    _snapshot(
        "snapshot_pod_cpu_hog", "One workload's pods taking the nodes' CPU", Category.CPU,
        "{component}'s pods each use several cores, far more than anything else on the nodes"
        " (a release without CPU limits, a runaway scan or loop), so the pods beside them are"
        " starved of CPU: their requests slow down and their callers time out, though"
        " nothing of theirs changed.",
        ("Put a CPU limit back on {component} (or roll back its release) and watch the"
         " nodes' CPU",
         "A pod without a CPU limit may take every idle core; requests only guarantee a share",
         "kubectl top pods -A --sort-by=cpu | head; kubectl get ds,deploy -A -o wide | grep"
         " {component}; kubectl rollout history ds/{component} -n <namespace>"),
    ),
    _snapshot(
        "snapshot_upstream_resolved_once", "Proxy still calling its upstream's old addresses",
        Category.DNS,
        "{component}'s proxy names its upstream by host name without re-resolving it (no"
        " `resolve` on the server line): it looked the name up when it started, and the"
        " upstream (a cloud load balancer, a service) has since moved to new addresses, so"
        " {component} keeps connecting to the old ones while the name resolves fine"
        " elsewhere.",
        ("Reload the proxy now (it resolves the name again), then make it re-resolve: a"
         " `resolver` with `server ... resolve`, or a variable in proxy_pass",
         "Load balancer addresses change without notice; a proxy started before the change"
         " keeps the old ones", "dig +short <upstream name>; ss -tn state syn-sent;"
         " nginx -T | grep -n -e resolver -e 'server '"),
    ),
    _snapshot(
        "snapshot_redis_evicting", "Redis evicting keys at its memory limit", Category.MEMORY,
        "{component} is at its maxmemory with an eviction policy, so it deletes keys to make"
        " room: whatever else is stored there (sessions, carts, locks), not only cache"
        " entries, disappears, and its owners find it gone.",
        ("Find what fills the instance (keys without a TTL, a new key prefix) and give it a"
         " TTL or its own instance; keep sessions where nothing evicts them",
         "evicted_keys growing means Redis is deleting live keys, not expired ones",
         "redis-cli -h {component} INFO stats | grep evicted_keys; redis-cli -h {component}"
         " --bigkeys"),
    ),
    _snapshot(
        "snapshot_proxy_timeout_set", "Proxy read timeout shorter than the slow requests",
        Category.CONFIGURATION,
        "{component} gives its upstream a fixed time to answer, and the failing requests all"
        " end at exactly that time with a 504: the proxy's read timeout cuts requests the"
        " backend would finish later (large exports, reports), which the backend then logs"
        " as clients gone before the answer.",
        ("Raise the read timeout for the slow paths only (an annotation on their Ingress or a"
         " location block) above the slowest legitimate request, or make them asynchronous",
         "A 504 after exactly the configured seconds is the proxy's timeout, not the backend"
         " failing", "grep -n proxy-read-timeout <configmap or ingress>; compare the 504s'"
         " request_time with it"),
    ),
)  # fmt: skip
SNAPSHOT_SIGNATURES_BY_ID = {signature.id: signature for signature in SNAPSHOT_SIGNATURES}
