from k8s_evidence import numbered_lines, only, reasons, sample

from faultmaven.integrations.kubernetes import read_kubernetes


def test_findings_that_explain_others_come_before_what_they_explain() -> None:
    for name in (
        "describe-pod-oomkilled.txt",
        "describe-pod-createcontainerconfigerror.txt",
        "describe-pod-imagepullbackoff.txt",
        "events-all-namespaces.txt",
        "pods-list.json",
        "pod-oomkilled.yaml",
    ):
        findings = read_kubernetes(sample(name)).findings
        order = [finding.reason for finding in findings]
        for finding in findings:
            if finding.explained_by is not None:
                assert order.index(finding.explained_by) < order.index(finding.reason), name


def test_a_failing_job_pod_explains_the_job_running_out_of_retries() -> None:
    text = sample("describe-pod-job-error.txt") + "\n" + sample("describe-job-backofflimit.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["Error", "BackoffLimitExceeded"]
    crash = only(evidence, "Error")
    assert (crash.workload, crash.exit_code, crash.category.value) == (
        "db-migrate",
        1,
        "deployment",  # db-migrate is a migration: its failure is a failed migration
    )
    assert only(evidence, "BackoffLimitExceeded").explained_by == "Error"
    assert [ref.kind for ref in evidence.objects] == ["Pod", "Job"]


def test_node_memory_pressure_explains_a_pod_evicted_for_memory_on_that_node() -> None:
    evicted = (
        sample("describe-pod-evicted.txt")
        .replace("ip-10-0-2-91.ec2.internal", "ip-10-0-3-17.ec2.internal")
        .replace("low on resource: ephemeral-storage", "low on resource: memory")
    )
    text = evicted + "\n\n" + sample("describe-node-memory-pressure.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence)[0] == "MemoryPressure"
    assert only(evidence, "Evicted").explained_by == "MemoryPressure"
    pressure = only(evidence, "MemoryPressure")
    lines = numbered_lines(text)
    assert "MemoryPressure   True" in lines[pressure.lines[0].line_start - 1]


def test_pressure_on_another_node_does_not_explain_an_eviction() -> None:
    text = sample("describe-pod-evicted.txt") + "\n" + sample("describe-node-memory-pressure.txt")
    evidence = read_kubernetes(text)

    assert only(evidence, "Evicted").explained_by is None


def test_the_same_failure_seen_in_a_table_and_a_describe_is_one_finding() -> None:
    text = sample("pods-wide.txt") + "\n" + sample("describe-pod-oomkilled.txt")
    evidence = read_kubernetes(text)

    loops = [f for f in evidence.findings if f.name == "checkout-7d9f8c6b5d-x2k4q"]
    assert [f.reason for f in loops] == ["OOMKilled", "CrashLoopBackOff"]
    loop = loops[1]
    assert loop.restart_count == 7
    assert loop.exit_code == 137
    assert len(loop.lines) == 3
