"""Pods whose sandbox fails in a network plugin follow from that plugin's agent failing."""

from faultmaven.integrations.kubernetes import combine_findings, read_kubernetes

EVENTS = """\
NAMESPACE     LAST SEEN   TYPE      REASON                   OBJECT                              MESSAGE
kube-system   47m         Warning   BackOff                  pod/calico-node-9qk7w               Back-off restarting failed container calico-node in pod calico-node-9qk7w_kube-system(5b1e)
shop          46m         Warning   FailedCreatePodSandBox   pod/order-service-6b7f9d8c5d-4tq2n   Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "2eaac42e": plugin type="{plugin}" failed (add): unable to connect to the {plugin} agent
"""  # noqa: E501


def findings(plugin: str) -> dict[str, str | None]:
    found = combine_findings([read_kubernetes(EVENTS.replace("{plugin}", plugin))])
    return {each.finding.reason: each.finding.explained_by for each in found}


def test_a_sandbox_failing_in_calico_follows_from_calico_node_crash_looping() -> None:
    by_reason = findings("calico")
    assert by_reason["FailedCreatePodSandBox"] is not None
    assert by_reason["CrashLoopBackOff"] is None


def test_a_sandbox_failing_in_another_plugin_is_not_blamed_on_calico_node() -> None:
    assert findings("cilium")["FailedCreatePodSandBox"] is None
