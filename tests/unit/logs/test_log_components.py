import pytest

from faultmaven.logs import component_of


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("syslog", "Mar  1 12:00:00 web01 nginx[123]: worker exited", "nginx"),
        # cron reports its host's scheduling (a job it could not fork is the host's trouble).
        ("messages", "Mar  1 12:00:00 web01 /usr/sbin/cron[77]: (root) CMD (job)", "web01"),
        ("messages", "Mar  1 12:00:00 web01 dockerd[77]: container exited", "web01"),
        ("messages", "Mar  1 12:00:00 web01 billing-sync[77]: run failed", "billing-sync"),
        ("messages", "Mar  1 12:00:00 web01 kernel: Out of memory: Killed process 1", "web01"),
        (
            "journal.txt",
            "2025-06-03T07:58:23+00:00 batch-02 java[28592]: 2025-06-03T07:58:23.208Z  INFO 28592"
            " --- [settlement-worker] [           main] c.a.s.SettlementApplication : Starting",
            "settlement-worker",
        ),
        ("messages", "Mar  1 12:00:00 web01 java[77]: Exception in thread main", "java"),
        ("all.log", "ts=2024-03-01T12:00:00Z level=error service=payments msg=x", "payments"),
        ("all.log", '{"level":"error","service":"billing-api","msg":"x"}', "billing-api"),
        ("all.log", "ts=2024-03-01 app=cart level=warn msg=slow", "cart"),
        (
            "es-master-0.log",
            '{"level": "WARN", "component": "o.e.c.r.a.DiskThresholdMonitor", "msg": "x"}',
            "es-master",
        ),
        ("events.txt", 'pod="default/checkout-7d9f8c6b5-x2k4q" msg="probe failed"', "checkout"),
        ("events.txt", "Warning  BackOff  pod/db-0  Back-off restarting failed container", "db"),
        ("checkout.log", "2024-03-01 12:00:00 ERROR payment failed", "checkout"),
        ("logs/api-gateway.log.gz", "plain message", "api-gateway"),
        ("metrics/cartservice.csv", "2025-06-03T09:14:00Z,12.5,301.2", "cartservice"),
        ("checkout-7d9f8c6b5-x2k4q.log", "plain message", "checkout"),
        ("bundle.zip/var/log/nginx/error.log", "plain message", "nginx"),
        ("app.log.1", "plain message", "app"),
        ("nginx-access.log", "plain message", "nginx"),
        ("nginx_error.log", "plain message", "nginx"),
        ("postgresql-16-main.log", "plain message", "postgres"),
        ("postgresql.log", "plain message", "postgres"),
        ("redis-server.log", "plain message", "redis"),
        ("api-stderr.log", "plain message", "api"),
        ("pricing-jstack.txt", '"pricing-worker-1" #41 prio=5 waiting on condition', "pricing"),
        ("orders_thread-dump.txt", "Full thread dump OpenJDK 64-Bit Server VM", "orders"),
        ("coredns-previous.log", "[FATAL] plugin/loop: Loop detected", "coredns"),
        ("logs/kube-proxy-7xq4d-previous.log", "plain message", "kube-proxy"),
        ("kubectl-logs-previous.txt", "plain message", None),
        ("kubectl-logs-risk-scorer-new.txt", "plain message", "risk-scorer"),
        ("kubectl-logs-risk-scorer-old.txt", "plain message", "risk-scorer"),
        ("notes.md", "someone saw ENOSPC in the journal -> disk full?", None),
        ("ecr-token-refresh-logs.txt", "plain message", "ecr-token-refresh"),
        ("logs/pg-ledger-1/postgresql-Tue.log", "plain message", "pg-ledger-1"),
        ("billing-api-log.txt", "plain message", "billing-api"),
        ("incident/timeline.txt", "10:14 paged for 502s", None),
        ("logs/etcd-cp-1.log", '{"level":"warn","msg":"backend quota reached"}', "etcd"),
        ("kube-apiserver-k8s-cp-02.log", "E0309 10:41:10 status.go:71] x", "kube-apiserver"),
        ("logs/etcd-backup.log", "plain message", "etcd-backup"),
        (
            "ts-order-mysql-slow.log",
            "# Query_time: 11.342656  Lock_time: 0.000099",
            "ts-order-mysql",
        ),
        ("messages", "Mar  1 12:00:00 db01 mysqld[88]: InnoDB: ready", "mysql"),
        (
            "postgresql-2025-06-12.log",
            "2025-06-12 14:02:14.125 UTC [28134] billing@billing app=billing-api LOG:  process"
            " 28134 still waiting for RowExclusiveLock on relation 16731",
            "postgres",
        ),
        ("billing.log", "level=error app=billing-api msg=timeout", "billing-api"),
        ("logs-warehouse-export-29300345-h8trn.txt", "plain message", "warehouse-export"),
        ("kubectl-logs-api-7d9f8c6b5d-x2k4q.log", "plain message", "api"),
        ("logstash/logstash-plain.log", "plain message", "logstash"),
        ("mtls-gw-01/nginx/error.log", "plain message", "mtls-gw-01"),
        # Logs gathered per numbered host: the host's own logs keep its number.
        ("edge-lb-1/error.log", "plain message", "edge-lb-1"),
        ("cache-03/redis-server.log", "plain message", "cache-03"),
        ("lb-01/nginx-access.log", "plain message", "lb-01"),
        ("etl-04/airflow-worker.log", "plain message", "airflow-worker"),
        # `kubectl logs <pod> -c <container>` saved as `<pod>-<container>`.
        (
            "kubectl-logs-ledger-api-79c4f6d8b5-wq5hn-vault-agent-init.txt",
            "plain message",
            "ledger-api",
        ),
        ("log-shipper.log", "plain message", "log-shipper"),
        (
            "journal.log",
            "2025-07-30T13:21:07+0000 app-1 ansible-ansible.legacy.copy[40983]: Invoked with"
            " dest=/etc/systemd/resolved.conf.d/10-corp.conf",
            "app-1",
        ),
        (
            "journal.log",
            "2025-07-14T22:11:00+0000 node-7 kubelet[3021]: eviction started",
            "node-7",
        ),
        (
            "lb-b-messages",
            "May 19 09:31:03 lb-b Keepalived_vrrp[1311]: (VI_1) Receive advertisement timeout",
            "lb-b",
        ),
        ("orders-db-replica.log", "plain message", "orders-db-replica"),
        ("access.log", "plain message", "access"),
        (
            "app.log",
            "2026-11-25 19:23:37,653 WARNING [inventory-api] reservation rejected",
            "inventory-api",
        ),
        ("app.log", "2026-11-25 19:23:37 INFO [main] c.s.Application - started", "app"),
        ("app.log", "12:00:00 ERROR [pool-1-thread-3] job failed", "app"),
        ("orders.log", "2026-11-25 WARNING [inventory-api] reservation rejected", "orders"),
        (
            "kubectl-logs-w7k4p.txt",
            "2025-11-04T01:00:12.049000000Z [ERROR] plugin/errors: 2 ldap.corp.internal. A:"
            " read udp 10.244.0.17:48213->10.20.0.53:53: i/o timeout",
            "coredns",
        ),
        ("pod-w7k4p.txt", "[INFO] plugin/reload: Running configuration SHA512 = 3b1f", "coredns"),
        ("pod-w7k4p.txt", "CoreDNS-1.11.1", "coredns"),
        (
            "pod-w7k4p.txt",
            '[INFO] 10.244.0.5:43321 - 6543 "A IN ldap.corp.internal. udp 40 false 512" SERVFAIL',
            "coredns",
        ),
        ("kube-dns.log", "[ERROR] plugin/errors: 2 a. A: i/o timeout", "kube-dns"),
        ("orders.log", "[ERROR] payment failed", "orders"),
        ("logs/kafka-3-server.log", "[2025-09-02 14:05:42,366] ERROR accept failed", "kafka-3"),
        ("cassandra-2-system.log", "plain message", "cassandra-2"),
        ("logs/db-replica-02-mysqld.log", "plain message", "db-replica-02"),
        ("cache-redis-01-redis.log", "plain message", "cache-redis-01"),
        ("pos-gw-01-nginx-error.log", "plain message", "pos-gw-01"),
        ("logs/mysql-docs-02-error.log", "plain message", "mysql-docs-02"),
        ("pg-2-slow.log", "plain message", "pg-2"),
        ("metrics/pg-orders-3-sar.csv", "2025-08-11T10:00:00Z,19.0,3.9", "pg-orders-3"),
        ("logs/rmq-east-1-rabbit.log", "plain message", "rmq-east-1"),
        ("logs/dns-auth-01-named.log", "plain message", "dns-auth-01"),
        (
            "logs/es-logs-master-1.json",
            '{"log.level": "INFO", "message": "updating [cluster.routing.allocation.enable]",'
            ' "service.name": "ES_ECS", "elasticsearch.cluster.name": "es-logs"}',
            "es-logs",
        ),
        ("logs/es-data-3.json", '{"message": "started", "service.name": "ES_ECS"}', "es-data"),
        (
            "logs/es-data-04.log",
            "[2026-02-03T10:04:18,374][WARN ][o.e.m.j.JvmGcMonitorService] [es-data-04] [gc][5600]"
            " overhead, spent [22.9s] collecting in the last [26.6s]",
            "es-data-04",
        ),
        (
            "logstash-plain.log",
            "[2026-02-03T10:04:18,374][INFO ][logstash.javapipeline    ][main] Pipeline started",
            "logstash",
        ),
        ("lb-02-haproxy.log", "plain message", "lb-02"),
        (
            "logs/lb-02-haproxy.log",
            "Oct  6 16:40:00 lb-02 haproxy[2214]: 198.51.100.7:40112 fe_https/1: SSL handshake",
            "lb-02",
        ),
        (
            "lb-1-syslog.log",
            "Jan 21 09:40:00 lb-1 haproxy[20114]: 10.0.1.83:33348 fe_https~ be_orders/orders-1",
            "haproxy",
        ),
        ("logs/rabbit@mq-02.log", "plain message", "mq-02"),
        # A zero-padded number is a host's, never a pod ordinal or a rotation.
        ("logs/redis-sess-02.log", "plain message", "redis-sess-02"),
        ("wiki-app-01-shell.txt", "plain message", "wiki-app-01"),
        ("logs/build-cache-01-access.log", "plain message", "build-cache-01"),
        ("logs/api-2026-03-01.log", "plain message", "api"),
        ("kafka-1.log", "plain message", "kafka"),
        ("logs/postgresql-pg-hist-02.log", "plain message", "pg-hist-02"),
        ("gc-hb-rs-04.log", "plain message", "hb-rs-04"),
        # One folder per host or server: its tools' output and its program's own log are its.
        ("kafka-3/shell-session.txt", "plain message", "kafka-3"),
        ("redis-rl-01/redis-cli.txt", "plain message", "redis-rl-01"),
        ("etl-worker-04/hs_err_pid918224.log", "plain message", "etl-worker-04"),
        ("pgb-ledger-01/pgbouncer.log", "plain message", "pgb-ledger-01"),
        ("ledger-db/postgresql.log", "plain message", "ledger-db"),
        ("es-logs/elasticsearch.json", "plain message", "es-logs"),
        ("es-logs/dev-tools.txt", "plain message", "es-logs"),
        ("dbproxy-02/haproxy.cfg", "plain message", "dbproxy-02"),
        ("payments/payments.logfmt", "plain message", "payments"),
        ("session-gateway/zap.json", "plain message", "session-gateway"),
        ("db-1/journal-audit-purge.txt", "plain message", "journal-audit-purge"),
        ("flow-logs/postgresql.log", "plain message", "postgres"),
        ("logs/postgresql-replica.log", "plain message", "postgresql-replica"),
        (
            "tp-edge-01/haproxy.log",
            "Aug 19 08:14:18 tp-edge-01 haproxy[2811]: 92.187.21.209:26511 fe_terminals/1: SSL"
            " handshake failure",
            "tp-edge-01",
        ),
        (
            "etl-worker-04/journalctl.txt",
            "Nov 10 02:02:41 etl-worker-04 CRON[931102]: (etl) ERROR chdir failed: Cannot"
            " allocate memory",
            "etl-worker-04",
        ),
        (
            "logs/syslog",
            "Sep 15 08:14:00 pg-hist-02 smartd[812]: Device: /dev/sdc [SAT], 24 Currently"
            " unreadable (pending) sectors (changed +16)",
            "pg-hist-02",
        ),
        (
            "search-api-04/journal.txt",
            "2026-11-12T08:03:00+0100 search-api-04 tuned[812]: tuned: Profile 'powersave' applied",
            "search-api-04",
        ),
        ("orders-redis.log", "plain message", "orders-redis"),
        ("aws-node-ipamd.log", "plain message", "aws-node"),
        (
            "logstash-plain.log",
            'Could not index event. action: ["index", {"_id"=>nil}, {"service"=>"billing-api"}]',
            "billing-api",
        ),
        ("var/log/aws-routed-eni/ipamd.log", "plain message", "aws-node"),
        ("zookeeper-0.log", "plain message", "zookeeper"),
        ("logs/jobs-db-postgresql.log", "plain message", "jobs-db"),
        ("postgresql-orders-db-1.log", "plain message", "orders-db-1"),
        ("postgresql-Mon.log", "plain message", "postgresql-Mon"),
        ("postgresql-16-main.log", "plain message", "postgres"),
        (
            "logs/messages.log",
            "Apr  7 21:49:24 files-02 chronyd[711]: System clock wrong by -412.883261 seconds",
            "files-02",
        ),
        (
            "logs/maillog",
            "Apr 15 08:03:05 mail-relay-01 postfix/smtp[3335]: 4qnT: to=<a@b.example>, status=sent",
            "mail-relay-01",
        ),
    ],
)
def test_component_is_the_service_the_line_is_about(name: str, line: str, expected: str) -> None:
    assert component_of(name, line) == expected


def test_words_like_proxy_are_not_mistaken_for_a_pod_suffix() -> None:
    assert component_of("api-proxy.log", "plain message") == "api-proxy"
