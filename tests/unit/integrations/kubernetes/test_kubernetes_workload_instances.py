"""Instances of a workload: pods replaced since they failed, Jobs a CronJob started."""

from faultmaven.domain.kubernetes import REPLACED_BY, FindingSeverity, KubernetesFinding
from faultmaven.integrations.kubernetes import combine_findings, read_kubernetes

EVENTS = """\
LAST SEEN   TYPE      REASON     OBJECT                                 MESSAGE
12m         Warning   BackOff    pod/worker-8c7b6d5f4-rt9wq             Back-off restarting failed container worker in pod worker-8c7b6d5f4-rt9wq_billing(0b2e4f6a)
9m          Warning   BackOff    pod/api-7d9c5b8f6-2lq8d                Back-off restarting failed container api in pod api-7d9c5b8f6-2lq8d_billing(1c3e5a7b)
"""  # noqa: E501


def pods_listing(worker_ready: str, worker_status: str = "Running") -> str:
    return (
        "NAME                    READY   STATUS             RESTARTS   AGE\n"
        f"worker-d650c292b-b34fd  {worker_ready}     {worker_status:<18} 1          20d\n"
        "api-7d9c5b8f6-2lq8d     0/1     CrashLoopBackOff   7          14m\n"
    )


def finding(findings: list[KubernetesFinding], workload: str) -> KubernetesFinding:
    return next(each for each in findings if each.workload == workload)


def test_a_crash_of_a_pod_replaced_by_ready_pods_becomes_low_and_names_its_successor() -> None:
    found = [
        each.finding
        for each in combine_findings(
            [read_kubernetes(EVENTS), read_kubernetes(pods_listing("1/1"))]
        )
    ]
    worker = finding(found, "worker")
    assert worker.severity is FindingSeverity.LOW
    assert worker.details[REPLACED_BY] == "worker-d650c292b-b34fd"
    api = finding(found, "api")
    assert api.severity is not FindingSeverity.LOW
    assert REPLACED_BY not in api.details
    assert found.index(finding(found, "api")) < found.index(worker)


def test_a_crash_stays_when_the_workloads_listed_pods_do_not_all_serve() -> None:
    for ready, status in (("0/1", "Running"), ("1/1", "CrashLoopBackOff")):
        readings = [read_kubernetes(EVENTS), read_kubernetes(pods_listing(ready, status))]
        worker = finding([each.finding for each in combine_findings(readings)], "worker")
        assert worker.severity is not FindingSeverity.LOW, (ready, status)
        assert REPLACED_BY not in worker.details


def test_without_a_listing_of_the_workload_nothing_is_presumed_replaced() -> None:
    alone = finding(
        [each.finding for each in combine_findings([read_kubernetes(EVENTS)])], "worker"
    )
    assert alone.severity is not FindingSeverity.LOW
    both = read_kubernetes(EVENTS + "\n" + pods_listing("1/1"))
    assert [pod.name for pod in both.listed] == ["worker-d650c292b-b34fd", "api-7d9c5b8f6-2lq8d"]
    assert finding(both.findings, "worker").severity is FindingSeverity.LOW


def test_the_jobs_a_cronjob_started_that_failed_alike_are_one_finding() -> None:
    events = (
        "LAST SEEN   TYPE      REASON                 OBJECT                         MESSAGE\n"
        "5h32m       Warning   BackoffLimitExceeded   job/warehouse-export-29300045  Job has reached the specified backoff limit\n"  # noqa: E501
        "4h32m       Warning   BackoffLimitExceeded   job/warehouse-export-29300105  Job has reached the specified backoff limit\n"  # noqa: E501
    )
    [finding] = read_kubernetes(events).findings
    assert (finding.kind, finding.workload) == ("Job", "warehouse-export")
    assert (finding.message or "").startswith("2 jobs of warehouse-export report")
    assert [(span.line_start, span.line_end) for span in finding.lines] == [(2, 3)]
