import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning import BUILTIN_SIGNATURES, SIGNATURES_BY_ID, match_signature

REAL_MESSAGES = {
    "environment_too_large": [
        "exec /usr/local/bin/cart-gateway: argument list too long",
        "standard_init_linux.go:228: exec user process caused: argument list too long",
    ],
    "auto_increment_exhausted": [
        "Caused by: java.sql.SQLIntegrityConstraintViolationException: Duplicate entry"
        " '2147483647' for key 'payment_events.PRIMARY'",
        "ERROR 1467 (HY000): Failed to read auto-increment value from storage engine",
    ],
    "kafka_session_timeout_range": [
        "org.apache.kafka.common.errors.InvalidSessionTimeoutException: The session timeout is"
        " not within the range allowed by the broker (as configured by"
        " group.min.session.timeout.ms and group.max.session.timeout.ms).",
    ],
    "rabbitmq_channel_max": [
        'operation channel.open caused a connection exception not_allowed: "number of channels'
        ' opened (16) has reached the negotiated channel_max (16)"',
    ],
    "redis_protected_mode": [
        "ReplyError: DENIED Redis is running in protected mode because protected mode is enabled"
        " and no password is set for the default user.",
    ],
    "xid_wraparound": [
        "ERROR:  database is not accepting commands to avoid wraparound data loss in database"
        ' "ledger"',
        'WARNING:  database "ledger" must be vacuumed within 8348372 transactions',
    ],
    "shard_limit_reached": [
        '"error"=>{"type"=>"validation_exception", "reason"=>"Validation Failed: 1: this action'
        " would add [2] shards, but this cluster currently has [3000]/[3000] maximum normal"
        ' shards open;"}',
    ],
    "dns_forwarder_saturated": [
        "Mar 11 07:03:55 ci-gw-1 dnsmasq[811]: Maximum number of concurrent DNS queries reached"
        " (max: 150)",
    ],
    "mapping_type_conflict": [
        '"error"=>{"type"=>"document_parsing_exception", "reason"=>"[1:119] failed to parse'
        " field [status] of type [long] in document with id 'x'\"",
        "mapper [status] cannot be changed from type [long] to [text]",
    ],
    "bootstrap_check_failed": [
        "node validation exception\n[1] bootstrap checks failed. You must address the points"
        " described in the following [1] lines before starting Elasticsearch.",
        "bootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530]"
        " is too low, increase to at least [262144]",
    ],
    "data_store_at_loopback": [
        'batch 48f4 failed: connection failed: connection to server at "127.0.0.1", port 5432'
        " failed: Connection refused",
        "dial tcp [::1]:3306: connect: connection refused",
    ],
    "redis_script_busy": [
        "GET /v1/sessions/778554 failed: ReplyError: BUSY Redis is busy running a script. You can"
        " only call SCRIPT KILL or SHUTDOWN NOSAVE.",
        "1187:M 18 Jun 2025 13:55:00.056 # Slow script detected: still in execution after 5000"
        " milliseconds. You can try killing the script using the SCRIPT KILL command.",
    ],
    "link_down": [
        "Jul 22 13:47:00 rmq-2 kernel: ixgbe 0000:3b:00.0 eno1: NIC Link is Down",
        "kernel: bnxt_en 0000:18:00.0 eth2: Link is Down",
    ],
    "rabbitmq_partition": [
        "[warning] <0.5418.0> Cluster minority/secondary status detected - awaiting recovery",
        "[error] <0.312.0> Partial partition detected:",
    ],
    "kafka_producer_fenced": [
        "org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with"
        " the same transactionalId which fences the current one.",
    ],
    "thread_limit_reached": [
        "java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or"
        " process/resource limits reached",
        "java.lang.OutOfMemoryError: unable to create new native thread",
        "kernel: cgroup: fork rejected by pids controller in /kubepods.slice/pod3a9c1e7f",
        '[warning][os,thread] Failed to start thread "Unknown thread" - pthread_create failed'
        " (EAGAIN) for attributes: stacksize: 1024k",
        "bash: fork: retry: Resource temporarily unavailable",
    ],
    "oom": [
        "Mar  1 12:00:00 node1 kernel: Out of memory: Killed process 4242 (java) total-vm:8GB",
        "Mar  1 12:00:00 node1 kernel: java invoked oom-killer: gfp_mask=0x100cca, order=0",
        'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
        "MemoryError",
        "fork: Cannot allocate memory",
        "    Last State:     Terminated\n      Reason:       OOMKilled",
        "(error) OOM command not allowed when used memory > 'maxmemory'.",
        "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
        "[warning] <0.311.0> memory resource limit alarm set on node 'rabbit@mq-0'.",
    ],
    "disk_full": [
        'E0309 10:41:10 status.go:71] rpctypes.EtcdError{desc:"etcdserver: mvcc: database space'
        ' exceeded"}',
        '{"level":"warn","msg":"backend quota reached","quota-size":"2.1 GB"}',
        "OSError: [Errno 28] No space left on device: '/var/lib/app/cache'",
        'ERROR:  could not extend file "base/16384/16397": wrote only 4096 of 8192 bytes',
        "Error: ENOSPC: no space left on device, write",
        "2024/03/01 12:00:00 [crit] 7#7: *1 pwrite() failed (28: No space left on device)",
        "2026-04-07 13:47:00.922000+00:00 [warning] <0.495.0> disk resource limit alarm set on"
        " node 'rabbit@rabbitmq-1'.",
        "[warning] <0.498.0> Free disk space is insufficient. Free bytes: 1999011840. Limit:"
        " 2000000000",
    ],
    "disk_io_error": [
        "kernel: blk_update_request: I/O error, dev sda, sector 123456 op 0x1:(WRITE)",
        "kernel: Buffer I/O error on dev sda1, logical block 1024, lost async page write",
        "kernel: EXT4-fs error (device sda1): ext4_find_entry:1455: reading directory lblock 0",
        "smartd[812]: Device: /dev/sdc [SAT], 24 Currently unreadable (pending) sectors"
        " (changed +16)",
        "smartd[812]: Device: /dev/sdc [SAT], 9 Offline uncorrectable sectors (changed +6)",
        "smartd[640]: Device: /dev/sda [SAT], SMART Prefailure Attribute: 5"
        " Reallocated_Sector_Ct changed from 100 to 97",
    ],
    "mysql_connection_lost": [
        "sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (2013, 'Lost connection"
        " to MySQL server during query')",
        "(pymysql.err.OperationalError) (2006, 'MySQL server has gone away')",
    ],
    "exec_format_error": [
        "exec /usr/local/bin/invoice-renderer: exec format error",
        "standard_init_linux.go:228: exec user process caused: exec format error",
    ],
    "serialization_failure": [
        "ERROR:  could not serialize access due to read/write dependencies among transactions",
        "ERROR:  could not serialize access due to concurrent update",
    ],
    "kafka_log_cleaner_failed": [
        "[2026-04-28 22:41:03,118] WARN [kafka-log-cleaner-thread-2]: Unexpected exception thrown"
        " when cleaning log Log(dir=/var/lib/kafka/data/__consumer_offsets-17, topic=x)",
    ],
    "kafka_coordinator_loading": [
        "[Consumer clientId=c-1, groupId=billing] JoinGroup failed: The coordinator is loading"
        " and hence can't process requests. Need to re-join the group.",
    ],
    "service_name_missing": [
        'Get "http://notifications-api.comms.svc.cluster.local/v1/notify": dial tcp: lookup'
        " notifications-api.comms.svc.cluster.local on 172.20.0.10:53: no such host",
    ],
    "dns_transfer_denied": [
        "07-Apr-2026 14:22:08.012 security: info: client @0x7f3c2c0a1b68 10.60.8.53#41811"
        " (int.harbor.example): zone transfer 'int.harbor.example/AXFR/IN' denied",
    ],
    "dns_zone_expired": [
        "10-Apr-2026 13:51:06.000 general: warning: zone int.harbor.example/IN: expired",
    ],
    "redis_noperm": [
        "ReplyError: NOPERM User gateway has no permissions to run the 'evalsha' command",
        "(error) NOPERM this user has no permissions to run the 'config|set' command",
    ],
    "rabbitmq_access_refused": [
        "operation basic.publish caused a channel exception access_refused: write access to"
        " exchange 'order-events' in vhost '/orders' refused for user 'order-svc'",
        'pika.exceptions.ChannelClosedByBroker: (403, "ACCESS_REFUSED - access to queue'
        " 'jobs' in vhost '/' refused for user 'worker'\")",
    ],
    "pooled_prepared_statements": [
        'org.postgresql.util.PSQLException: ERROR: prepared statement "S_3" already exists',
        '2026-02-17 13:00:05.170 UTC [11738] ERROR:  prepared statement "S_9" does not exist',
        "asyncpg.exceptions.InvalidSQLStatementNameError: prepared statement"
        ' "__asyncpg_stmt_1a__" does not exist',
    ],
    "nginx_worker_connections": [
        "2025/01/21 15:11:48 [alert] 1207#1207: 768 worker_connections are not enough",
    ],
    "memory_hardware_error": [
        "kernel: EDAC MC0: 1 UE memory read error on CPU_SrcID#0_MC#1_Chan#0_DIMM#0 (channel:0)",
        "kernel: EDAC MC1: 3 CE memory scrubbing error on CPU_SrcID#1_Ha#0_Chan#2_DIMM#1",
        "kernel: mce: [Hardware Error]: Machine check events logged",
        "kernel: Memory failure: 0x3e81c2: Sending SIGBUS to cc1plus:48211 due to hardware memory"
        " corruption",
    ],
    "lock_table_full": [
        "2026-03-02 10:11:12.345 UTC [4411] ERROR:  out of shared memory",
        "2026-03-02 10:11:12.345 UTC [4411] HINT:  You might need to increase"
        " max_locks_per_transaction.",
    ],
    "packet_too_large": [
        "com.mysql.cj.jdbc.exceptions.PacketTooBigException: Packet for query is too large"
        " (15,605,336 > 4,194,304). You can change this value on the server by setting the"
        " 'max_allowed_packet' variable.",
        "2026-03-11T07:43:03.873437+01:00 89626 [Note] [MY-010914] [Server] Aborted connection"
        " 21863 to db: 'docs' user: 'docs' host: '10.44.7.243' (Got a packet bigger than"
        " 'max_allowed_packet' bytes).",
    ],
    "record_too_large": [
        "org.apache.kafka.common.errors.RecordTooLargeException: The message is 1572864 bytes"
        " when serialized which is larger than 1048576, which is the value of the"
        " max.request.size configuration.",
        "kafka: error while producing: MESSAGE_TOO_LARGE",
    ],
    "consumer_offsets_reset": [
        "[Consumer clientId=indexer-1, groupId=invoice-indexer] Fetch position"
        " FetchPosition{offset=1200, offsetEpoch=Optional.empty} is out of range for partition"
        " invoices-3, resetting offset",
        "kafka.common.OffsetOutOfRangeException",
    ],
    "mapping_fields_limit": [
        "java.lang.IllegalArgumentException: Limit of total fields [1000] has been exceeded",
        "Limit of total fields [1000] in index [logs-app-2025.10.02] has been exceeded",
    ],
    "es_circuit_breaker": [
        "circuit_breaking_exception: [parent] Data too large, data for [<http_request>] would be"
        " [1022mb], which is larger than the limit of [986mb]",
    ],
    "es_rejected_execution": [
        "failed to execute bulk item (index) index {[logs-app][_doc][a1]}: rejected execution of"
        " org.elasticsearch.action.support.replication.TransportWriteAction$1",
        "es_rejected_execution_exception: rejected execution of coordinating operation"
        " [coordinating_and_primary_bytes=0] queue capacity = 200",
    ],
    "consumer_ack_timeout": [
        "operation none caused a channel exception precondition_failed: delivery acknowledgement"
        " on channel 1 timed out. Timeout value used: 1800000 ms.",
        "2026-04-06 08:12:00.373000-03:00 [warning] <0.31000.0> Consumer amq.ctag-c068 on"
        " channel 1 has timed out waiting for a consumer acknowledgement of a delivery with"
        " delivery tag = 1. Timeout used: 1800000 ms.",
    ],
    "proxy_queue_timeout": [
        "Oct  6 18:00:24 lb-02 haproxy[2214]: 10.26.254.187:37294 [06/Oct/2026:18:00:04.119]"
        " fe_https~ be_quotes/<NOSRV> 0/20001/-1/-1/20001 503 217 - - sQ-- 1238/1298/190/0/0"
        ' 0/878 "POST /v2/quotes/497831 HTTP/1.1"',
    ],
    "jvm_option_rejected": [
        "2026-01-15T20:01:13.037000000Z Unrecognized VM option 'UseCGroupMemoryLimitForHeap'",
        "Error: Could not create the Java Virtual Machine.",
    ],
    "topic_not_found": [
        "WARN o.apache.kafka.clients.NetworkClient : [Producer clientId=invoice-service-producer-1]"
        " Error while fetching metadata with correlation id 4 : {invoice.issued.v2="
        "UNKNOWN_TOPIC_OR_PARTITION}",
        "Caused by: org.apache.kafka.common.errors.TimeoutException: Topic invoice.issued.v2 not"
        " present in metadata after 60000 ms.",
    ],
    "write_to_replica": [
        "POST /login 500: create session sess:7555ca9c: READONLY You can't write against a read"
        " only replica.",
        "ERROR:  cannot execute INSERT in a read-only transaction",
        "ERROR 1290 (HY000): The MySQL server is running with the --super-read-only option so it"
        " cannot execute this statement",
    ],
    "health_check_wrong_code": [
        "Jan 21 10:02:05 lb-1 haproxy[31877]: [WARNING]  (31877) : Server be_orders/orders-1 is"
        ' DOWN, reason: Layer7 wrong status, code: 404, info: "Not Found", check duration: 2ms.',
    ],
    "unix_socket_missing": [
        "2026/11/18 04:12:33 [error] 31#31: *42804 connect() to unix:/tmp/wiki.sock failed (2: No"
        " such file or directory) while connecting to upstream, client: 10.44.16.137",
    ],
    "proxy_buffer_too_small": [
        "2026/01/01 10:00:00 [error] 12#12: *5 upstream sent too big header while reading"
        ' response header from upstream, client: 10.0.0.1, upstream: "http://10.0.0.9:8080/"',
    ],
    "request_body_too_large": [
        "2026/01/01 10:00:00 [error] 12#12: *5 client intended to send too large body: 10485761"
        " bytes, client: 10.0.0.1, server: files.example",
    ],
    "syn_flood_cookies": [
        "kernel: TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies. "
        " Check SNMP counters.",
    ],
    "hung_task": [
        "kernel: INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.",
    ],
    "shared_memory_full": [
        "2026-11-18 09:15:06.373 UTC [44450] ERROR:  could not resize shared memory segment"
        ' "/PostgreSQL.1840271563" to 67145728 bytes: No space left on device',
        "open /dev/shm/sem.chromium_1: No space left on device",
    ],
    "file_limit_lowered": [
        "31877:M 10 Jun 2026 00:02:03.063 # Current maximum open files is 4096. maxclients has"
        " been reduced to 4064 to compensate for low ulimit.",
        "31877:M 10 Jun 2026 00:02:02.861 # Server can't set maximum open files to 10032 because"
        " of OS error: Operation not permitted.",
        "2026/06/10 00:02:01 [warn] 812#812: 4096 worker_connections exceed open file resource"
        " limit: 1024",
        "max file descriptors [4096] for elasticsearch process is too low, increase to at least"
        " [65535]",
    ],
    "replication_stopped": [
        "2026-10-14T09:12:00.162000Z 478 [ERROR] [MY-010584] [Repl] Replica SQL for channel '':"
        " Worker 1 failed executing transaction 'ANONYMOUS' at source log binlog.000412,"
        " end_log_pos 8812; Could not execute Write_rows event on table crm.deals; Duplicate"
        " entry '88121' for key 'PRIMARY', Error_code: 1062",
        "[ERROR] Slave SQL for channel '': Error 'Duplicate entry '7' for key 'PRIMARY'' on query."
        " Default database: 'shop'. Query: 'INSERT INTO t VALUES (7)', Error_code: 1062",
        "[ERROR] Error running query, slave SQL thread aborted. Fix the problem, and restart the"
        ' slave SQL thread with "SLAVE START".',
        'LOG:  logical replication worker for subscription "orders_sub" has stopped',
    ],
    "consumer_poll_timeout": [
        "[Consumer clientId=consumer-ledger-1, groupId=ledger] consumer poll timeout has expired."
        " This means the time between subsequent calls to poll() was longer than the configured"
        " max.poll.interval.ms",
        "org.apache.kafka.clients.consumer.CommitFailedException: Offset commit cannot be"
        " completed since the consumer is not part of an active group for auto partition"
        " assignment; it is likely that the consumer was kicked out of the group.",
    ],
    "nfs_server_not_responding": [
        "Nov 26 09:09:38 web-07 kernel: [1206089.125000] nfs: server nas-02 not responding,"
        " still trying",
    ],
    "conntrack_table_full": [
        "[Mon May 18 18:05:07 2026] nf_conntrack: nf_conntrack: table full, dropping packet",
        "May 18 18:05:07 node-3 kernel: nf_conntrack: table full, dropping packet",
    ],
    "neighbour_table_overflow": [
        "Mar 10 06:40:00 ingest-gw-01 kernel: [3557212.691000] neighbour: arp_cache: neighbor"
        " table overflow!",
    ],
    "cassandra_tombstones": [
        "ERROR [ReadStage-2] 2025-05-12 09:14:03,114 ReadCommand.java:521 - Scanned over 100001"
        " tombstones during query 'SELECT * FROM inbox.user_inbox WHERE user_id = ?'",
        "WARN  [ReadStage-1] ReadCommand.java:569 - Read 12 live rows and 8713 tombstone cells"
        " for query SELECT * FROM inbox.user_inbox WHERE user_id = 42 LIMIT 50",
    ],
    "ingress_certificate_missing": [
        "W1124 21:05:12.301774       7 backend_ssl.go:47] Error obtaining X.509 certificate:"
        ' unexpected error creating SSL Cert: no object matching key "web/storefront-tls" in'
        " local store",
        'W1124 21:05:12.4 7 controller.go:1372] Error getting SSL certificate "web/www-tls": local'
        " SSL certificate web/www-tls was not found. Using default certificate",
    ],
    "credential_expired": [
        "authenticationerrordetail:Signature not valid in the specified time frame: Start [Fri, 28"
        " Jun 2024 09:12:44 GMT] - Expiry [Mon, 30 Jun 2025 00:00:00 GMT] - Current [Mon, 30 Jun"
        " 2025 00:00:02 GMT]",
        "botocore.exceptions.ClientError: An error occurred (ExpiredToken) when calling the"
        " PutObject operation: The provided token has expired.",
        'DETAIL:  User "reporting" has an expired password.',
    ],
    "too_many_open_files": [
        "java.io.IOException: Too many open files",
        "[warning] <0.8400.0> Ranch acceptor reducing accepting rate: out of file descriptors",
        "[warning] <0.400.0> file descriptor limit alarm set. New connections will not be"
        " accepted until this alarm clears.",
        "Error: EMFILE: too many open files, open '/app/data.json'",
        "2024/03/01 12:00:00 [crit] 7#7: accept4() failed (24: Too many open files)",
    ],
    "local_ports_exhausted": [
        "dial tcp 10.96.12.88:50051: connect: cannot assign requested address",
        "OSError: [Errno 99] Cannot assign requested address",
        "connect() failed (99: Cannot assign requested address) while connecting to upstream",
    ],
    "connection_pool_exhausted": [
        "FATAL:  sorry, too many clients already",
        "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
        "ERROR 1040 (HY000): Too many connections",
        "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        "sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, "
        "connection timed out, timeout 30.00",
    ],
    "db_lock": [
        "ERROR:  deadlock detected",
        "ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction",
        "ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction",
        "ERROR:  canceling statement due to lock timeout",
    ],
    "connection_refused": [
        "Error: connect ECONNREFUSED 127.0.0.1:6379",
        "redis.exceptions.ConnectionError: max number of clients reached",
        "dial tcp 10.0.0.5:5432: connect: connection refused",
        "2024/03/01 12:00:00 [error] 7#7: *9 connect() failed (111: Connection refused) "
        'while connecting to upstream, upstream: "http://10.0.0.5:8080/"',
        "curl: (7) Failed to connect to localhost port 8080: Connection refused",
    ],
    "timeout": [
        "2024/03/01 12:00:00 [error] 7#7: *9 upstream timed out (110: Connection timed out) "
        "while reading response header from upstream",
        "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        "<html><head><title>504 Gateway Time-out</title></head></html>",
        "java.net.SocketTimeoutException: Read timed out",
        "curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received",
        "Oct  7 09:43:42 lb-1 haproxy[2210]: 192.0.2.174:60101 [07/Oct/2025:09:43:42.436] fe_api~"
        ' be_api/reports-3 0/0/1/-1/5000 504 198 - - sH-- 184/378/7/11/0 0/0 "GET /x HTTP/1.1"',
    ],
    "client_disconnected": [
        "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe",
        '10.0.0.7 - - [01/Mar/2024:12:00:00 +0000] "GET /export HTTP/1.1" 499 0 "-" "curl/8.5"',
    ],
    "permission_denied": [
        'E0309 06:00:24.459 node_lifecycle_controller.go:156] "Error getting instance metadata"'
        ' err="Authentication failed: The request you have made requires authentication. (HTTP'
        ' 401)"',
        "payout po_5a63 failed: POST https://api.pagora.example/v2/transfers -> 401 Unauthorized",
        '{"error":"invalid_api_key","message":"The API key provided is not valid"}',
        "failed to build io_uring runtime for worker 0: Operation not permitted (os error 1)",
        '[ERROR] agent.auth.handler: error authenticating: error="Error making API request.'
        "\\n\\nURL: PUT https://vault:8200/v1/auth/kubernetes/login\\nCode: 403. Errors:\\n\\n*"
        ' namespace not authorized" backoff=1.04s',
        "redis.exceptions.AuthenticationError: NOAUTH Authentication required.",
        "WRONGPASS invalid username-password pair or user is disabled.",
        "Error: EACCES: permission denied, open '/etc/app/config.yaml'",
        "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'",
        "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
        'pods is forbidden: User "system:serviceaccount:default:app" cannot list resource "pods"',
    ],
    "tls_error": [
        "x509: certificate has expired or is not yet valid: current time 2024-03-01T12:00:00Z",
        "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
        "SSL routines:ssl3_read_bytes:sslv3 alert handshake failure",
        "curl: (60) SSL certificate problem: certificate is not yet valid",
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed",
    ],
    "dns_failure": [
        "socket.gaierror: [Errno -2] Name or service not known",
        "dial tcp: lookup postgres on 10.96.0.10:53: no such host",
        "Error: getaddrinfo ENOTFOUND api.example.com",
        "java.net.UnknownHostException: db.internal",
        "curl: (6) Could not resolve host: api.example.com",
        'psycopg2.OperationalError: could not translate host name "db" to address: '
        "Temporary failure in name resolution",
    ],
    "service_account_token_missing": [
        'raise ConfigException("Service token file does not exist.")',
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and"
        " KUBERNETES_SERVICE_PORT must be defined",
        "open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory",
    ],
    "inotify_watches_exhausted": [
        "Error: ENOSPC: System limit for number of file watchers reached, watch '/srv/app/src'",
        "tail: inotify resources exhausted",
    ],
    "long_gc_pause": [
        "WARN util.JvmPauseMonitor - Detected pause in JVM or host machine (eg GC): pause of"
        " approximately 47123ms",
        " (concurrent mode failure): 35190112K->21004418K(35651584K), 47.3110261 secs]",
        "[2026-02-03T10:05:41,067][WARN ][o.e.m.j.JvmGcMonitorService] [es-data-04]"
        " [gc][old][3640][40] duration [21.3s], collections [1]/[15.5s], total [8.1s]/[8m]",
        "[2026-02-03T10:04:18,374][WARN ][o.e.m.j.JvmGcMonitorService] [es-data-04]"
        " [gc][5600] overhead, spent [22.9s] collecting in the last [26.6s]",
    ],
    "link_speed_degraded": [
        "Dec  2 07:48:36 cache-01 kernel: tg3 0000:02:00.0 eno1: Link is up at 100 Mbps, full",
        "e1000e: eth0 NIC Link is Up 100 Mbps Full Duplex, Flow Control: None",
    ],
    "rate_limited": [
        '10.0.0.7 - - [01/Mar/2024:12:00:00 +0000] "GET /api HTTP/1.1" 429 0',
        "HTTP/1.1 429 Too Many Requests",
        "botocore.exceptions.ClientError: An error occurred (ThrottlingException) "
        "when calling the PutItem operation: Rate exceeded",
        "API rate limit exceeded for installation ID 1234.",
        "postfix/smtp[8563]: 4r76: to=<h@outlook.com>, dsn=4.7.500, status=deferred (host"
        " x.mail.protection.outlook.com[52.101.68.14] said: 451 4.7.500 Server busy. Please try"
        " again later from [203.0.113.25]. (S77719) (in reply to MAIL FROM command))",
        "status=deferred (host gmail-smtp-in.l.google.com[142.250.102.27] said: 421-4.7.28"
        " [203.0.113.25 15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail",
    ],
    "clock_skew": [
        "clock skew detected: 12.3s",
        "WARNING: time is out of sync with the cluster leader",
        "An error occurred (RequestTimeTooSkewed) when calling the PutObject operation",
    ],
    "crash": [
        "kernel: app[4242]: segfault at 8 ip 00007f3a1c2b4e10 sp 00007ffd5e3a1b20 error 4",
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]",
        "/entrypoint.sh: line 3:    12 Segmentation fault      (core dumped) ./server",
    ],
    "missing_config": [
        "KeyError: 'DATABASE_URL'",
        "Error: environment variable STRIPE_API_KEY is not set",
        'Error: configmap "app-config" not found',
        'Error: secret "db-credentials" not found',
    ],
    "schema_error": [
        'ERROR:  relation "orders" does not exist at character 15',
        'ERROR:  column "discount" does not exist',
        'ERROR:  duplicate key value violates unique constraint "users_email_key"',
        'ERROR:  insert or update on table "items" violates foreign key constraint "fk_order"',
        "ERROR 1146 (42S02): Table 'shop.orders' doesn't exist",
    ],
}

NEAR_MISSES = [
    # Servers answering their health check with 5xx are failing, not misconfigured.
    "Server be_orders/orders-1 is DOWN, reason: Layer7 wrong status, code: 503, info: x",
    # A 503 the server itself answered (termination state `----`) is no queue expiry.
    "Oct  6 17:18:55 lb-02 haproxy[2214]: 10.29.245.18:38331 [06/Oct/2026:17:18:55.563] fe_https~"
    ' be_quotes/quote-3 0/0/1/105/106 503 503 - - ---- 91/169/28/4/0 0/0 "GET /v2/q HTTP/1.1"',
    # A steady count of unreadable sectors is old damage, not a disk failing now.
    "smartd[812]: Device: /dev/sdb [SAT], 8 Currently unreadable (pending) sectors",
    "smartd[789]: Device: /dev/sdb [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed"
    " from 65 to 64",
    # A scanner on the internet asking for a zone transfer is refused, as it should be.
    "08-Jun-2026 11:41:00.399 security: error: client @0x7f3a0d9c1200 185.220.101.7#51512"
    " (corp.halvard.net): zone transfer 'corp.halvard.net/AXFR/IN' denied",
    "memory usage 512MiB of 2GiB",
    "disk usage at 45%, 120GiB free",
    "max_connections = 100",
    "connection established to 10.0.0.5:5432",
    "request timeout configured to 30s",
    "TLS handshake completed with TLSv1.3",
    "resolved api.example.com to 10.0.0.8",
    "lock acquired on orders table",
    "rate_limit_per_second=100",
    "processed 429 records",
    "GET /healthz 200 OK",
    "configmap app-config updated",
    "user alice granted read permission",
    # A call that succeeded on its retry: a transient, not a failure.
    "call to geo timed out after 1175ms, retry 1 of 3 succeeded",
    # MySQL's reverse lookup of a client: harmless, the address is logged instead of a name.
    "2024-03-11T13:05:51.768803Z 0 [Warning] IP address '10.244.2.7' could not be resolved: "
    "Name or service not known",
]


@pytest.mark.parametrize(
    ("expected", "line"),
    [(sig_id, line) for sig_id, lines in REAL_MESSAGES.items() for line in lines],
)
def test_real_messages_match_their_signature(expected: str, line: str) -> None:
    assert match_signature(line) == expected


@pytest.mark.parametrize("line", NEAR_MISSES)
def test_near_misses_match_no_signature(line: str) -> None:
    assert match_signature(line) is None


def test_a_duplicate_key_on_an_ordinary_value_is_no_exhausted_counter() -> None:
    duplicate = "Duplicate entry '2147483' for key 'payment_events.PRIMARY'"
    assert match_signature(duplicate) == "schema_error"


def test_certificate_not_yet_valid_is_tls_not_clock() -> None:
    assert match_signature("x509: certificate is not yet valid") == "tls_error"


def test_lock_wait_timeout_is_database_not_network() -> None:
    assert SIGNATURES_BY_ID[match_signature("Lock wait timeout exceeded") or ""].category == (
        Category.DATABASE
    )


def test_a_full_lock_table_is_database_as_lock_waits_are() -> None:
    """CONTRACTS.md puts locks under `database`; the limit is a setting, but locks are its kind."""
    line = "ERROR:  out of shared memory"
    assert SIGNATURES_BY_ID[match_signature(line) or ""].category is Category.DATABASE


def test_signature_catalogue_is_well_formed() -> None:
    ids = [sig.id for sig in BUILTIN_SIGNATURES]
    assert len(ids) == len(set(ids))
    for sig in BUILTIN_SIGNATURES:
        assert 0.0 <= sig.weight <= 1.0
        assert sig.patterns and sig.next_steps and sig.keywords
        assert isinstance(sig.category, Category)
    assert SIGNATURES_BY_ID["disk_full"].causal_rank < SIGNATURES_BY_ID["timeout"].causal_rank
    assert SIGNATURES_BY_ID["oom"].causal_rank < SIGNATURES_BY_ID["upstream_errors"].causal_rank


_PATTERNS = [(sig.id, pattern) for sig in BUILTIN_SIGNATURES for pattern in sig.patterns]


@pytest.mark.parametrize(("sig_id", "pattern"), _PATTERNS, ids=[p.pattern for _, p in _PATTERNS])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_keyword_prefilter_never_hides_a_pattern_match(
    sig_id: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    text = data.draw(st.from_regex(pattern))
    assert match_signature(text) is not None
