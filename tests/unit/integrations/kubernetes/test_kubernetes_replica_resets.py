"""A Deployment cut back behind its autoscaler, and events pasted without their describe."""

from k8s_evidence import cited

from faultmaven.domain.diagnosis import Category
from faultmaven.integrations.kubernetes import read_kubernetes
from faultmaven.integrations.kubernetes._sections import described_object

HPA = """\
$ kubectl -n shop describe hpa search-api
Name:                                                  search-api
Namespace:                                             shop
Reference:                                             Deployment/search-api
Min replicas:                                          3
Max replicas:                                          20
Events:
  Type    Reason             Age   From                       Message
  ----    ------             ----  ----                       -------
  Normal  SuccessfulRescale  58m   horizontal-pod-autoscaler  New size: 11; reason: cpu resource utilization (percentage of request) above target
  Normal  SuccessfulRescale  51m   horizontal-pod-autoscaler  New size: 14; reason: cpu resource utilization (percentage of request) above target
"""  # noqa: E501


def _deployment_events(*rows: str) -> str:
    head = (
        "$ kubectl -n shop describe deployment search-api | sed -n '/^Events:/,$p'\n"
        "Events:\n"
        "  Type    Reason             Age   From                   Message\n"
        "  ----    ------             ----  ----                   -------\n"
    )
    age_and_message = (row.split("  ", 1) for row in rows)
    return head + "".join(
        f"  Normal  ScalingReplicaSet  {age}   deployment-controller  {message}\n"
        for age, message in age_and_message
    )


def test_a_describe_command_names_the_object_of_the_events_pasted_after_it() -> None:
    assert described_object("$ kubectl -n shop describe deploy search-api") == (
        "Deployment",
        "shop",
        "search-api",
    )
    assert described_object("kubectl describe node/wrk-a2 --namespace=x") == (
        "Node",
        "x",
        "wrk-a2",
    )
    assert described_object("$ kubectl get pods -n shop") is None


def test_a_deployment_cut_to_a_size_its_autoscaler_never_set_is_a_deployment_cause() -> None:
    text = (
        HPA
        + "\n"
        + _deployment_events(
            "51m  Scaled up replica set search-api-6b8d4f7c59 to 14 from 11",
            "38m  Scaled down replica set search-api-6b8d4f7c59 to 3 from 14",
        )
    )
    [finding] = read_kubernetes(text).findings
    assert (finding.kind, finding.name, finding.namespace) == ("Deployment", "search-api", "shop")
    assert (finding.reason, finding.category) == ("ReplicasOverridden", Category.DEPLOYMENT)
    assert "cut from 14 to 3" in (finding.message or "")
    assert cited(text, finding).endswith(
        "Scaled down replica set search-api-6b8d4f7c59 to 3 from 14"
    )


def test_scale_downs_the_autoscaler_chose_or_rollouts_make_are_not_reported() -> None:
    autoscaled = (
        HPA
        + "\n"
        + _deployment_events(
            "40m  Scaled down replica set search-api-6b8d4f7c59 to 11 from 14",
        )
    )
    assert read_kubernetes(autoscaled).findings == []
    rollout = (
        HPA
        + "\n"
        + _deployment_events(
            "37m  Scaled down replica set search-api-6b8d4f7c59 to 2 from 3",
        )
    )
    assert read_kubernetes(rollout).findings == []
    retired = (
        HPA
        + "\n"
        + _deployment_events(
            "35m  Scaled down replica set search-api-6b8d4f7c59 to 0 from 14",
        )
    )
    assert read_kubernetes(retired).findings == []
    without_autoscaler = _deployment_events(
        "38m  Scaled down replica set search-api-6b8d4f7c59 to 3 from 14",
    )
    assert read_kubernetes(without_autoscaler).findings == []
