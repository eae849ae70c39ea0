import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from k8s_evidence import SAMPLES, cited, numbered_lines, only, reasons, sample

from faultmaven.domain.kubernetes import KubernetesEvidence
from faultmaven.integrations.kubernetes import is_kubernetes_text, read_kubernetes


def _lines_are_inside(text: str, evidence: KubernetesEvidence) -> None:
    count = len(numbered_lines(text))
    for finding in evidence.findings:
        assert finding.lines
        for span in finding.lines:
            assert 1 <= span.line_start <= span.line_end <= count


@pytest.mark.parametrize("name", sorted(path.name for path in SAMPLES.iterdir()))
@pytest.mark.parametrize("fraction", [0.2, 0.45, 0.7, 0.95])
def test_truncated_samples_never_fail_and_cite_only_lines_that_exist(
    name: str, fraction: float
) -> None:
    text = sample(name)
    cut = text[: int(len(text) * fraction)]

    _lines_are_inside(cut, read_kubernetes(cut))


def test_truncated_describe_keeps_what_was_printed_before_the_cut() -> None:
    text = sample("describe-pod-oomkilled.txt")
    cut = text[: text.index("    Ready:")]

    evidence = read_kubernetes(cut)

    oom = only(evidence, "OOMKilled")
    assert "OOMKilled" in cited(cut, oom)


def test_json_cut_mid_object_keeps_the_items_before_the_cut() -> None:
    text = sample("pods-list.json")
    cut = text[: text.index('"name": "worker"')]

    evidence = read_kubernetes(cut)

    assert [ref.name for ref in evidence.objects][:2] == [
        "api-gateway-7c8d9f6b5-k4m2p",
        "frontend-6c9d7b8f4-lx2mz",
    ]
    assert "ImagePullBackOff" in reasons(evidence)
    _lines_are_inside(cut, evidence)


def test_yaml_broken_midway_keeps_the_part_before_the_break() -> None:
    text = sample("pod-oomkilled.yaml").replace(
        "    restartCount: 3\n", "    restartCount: 3\n  bad: [unclosed\n"
    )

    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["OOMKilled"]
    assert "reason: OOMKilled" in cited(text, evidence.findings[0])


def test_status_missing_fields_the_api_always_sets_skips_only_that_part() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7c8d9f6b5-k4m2p\n  namespace: web\n"
        "status:\n  phase: Failed\n  reason: Evicted\n"
        "  message: 'The node was low on resource: memory.'\n"
        "  containerStatuses:\n  - name: web\n    lastState:\n      terminated:\n"
        "        exitCode: 137\n        reason: OOMKilled\n"
    )

    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["Evicted"]
    assert evidence.findings[0].details == {"resource": "memory"}


@pytest.mark.parametrize("break_", ["\r\n", "\r"])
def test_line_numbers_count_crlf_and_lone_cr_breaks_like_line_feeds(break_: str) -> None:
    text = sample("describe-pod-oomkilled.txt")
    converted = text.replace("\n", break_)

    expected = read_kubernetes(text)
    evidence = read_kubernetes(converted)

    assert evidence.findings == expected.findings
    assert "Reason:       OOMKilled" in cited(converted, only(evidence, "OOMKilled"))


def test_yaml_with_windows_line_breaks_cites_the_same_lines() -> None:
    text = sample("pod-oomkilled.yaml")

    expected = read_kubernetes(text)
    evidence = read_kubernetes(text.replace("\n", "\r\n"))

    assert [f.lines for f in evidence.findings] == [f.lines for f in expected.findings]


def test_text_that_is_not_kubernetes_output_reads_as_nothing() -> None:
    evidence = read_kubernetes("2024-03-12 ERROR checkout timed out\nplain words\n")

    assert (evidence.objects, evidence.findings) == ([], [])


_FRAGMENTS = [
    *" \t\n\r:{}[]\"'-/=()0123456789abcxyz",
    "Name:",
    "Events:",
    "  Type  Reason  Age  From  Message\n",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "metadata:\n",
    "items:\n",
    "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\n",
    "  Warning  BackOff  2m (x3 over 5m)  kubelet  x\n",
    "    State:  Waiting\n",
    "      Reason:  CrashLoopBackOff\n",
    "status:\n",
    "  containerStatuses:\n",
    "- ",
    '{\n    "apiVersion": "v1",\n    "kind": "List",\n    "items": [\n',
]
_KUBECTLISH = st.lists(st.sampled_from(_FRAGMENTS), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), _KUBECTLISH))
def test_reading_arbitrary_text_never_raises(text: str) -> None:
    evidence = read_kubernetes(text)
    is_kubernetes_text(text)
    _lines_are_inside(text, evidence)
