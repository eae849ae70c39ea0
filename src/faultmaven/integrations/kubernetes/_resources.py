"""Add up container requests and limits into a pod's total, with the client's quantity parser."""

from decimal import Decimal, InvalidOperation

from faultmaven.integrations.kubernetes._facts import ContainerFacts

_BINARY_UNITS = (("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10))


def pod_totals(containers: list[ContainerFacts]) -> tuple[dict[str, str], dict[str, str]]:
    """Total a pod's requests and limits: what the scheduler and the kubelet weigh.

    Init containers are left out. A lone container's values are kept as printed; a
    limit is only totalled when every container sets it.
    """
    running = [container for container in containers if not container.init]
    if len(running) == 1:
        return dict(running[0].requests), dict(running[0].limits)
    requests = _sum([container.requests for container in running], require_all=False)
    limits = _sum([container.limits for container in running], require_all=True)
    return requests, limits


def _sum(resources: list[dict[str, str]], *, require_all: bool) -> dict[str, str]:
    names = sorted({name for each in resources for name in each})
    totals: dict[str, str] = {}
    for name in names:
        if require_all and any(name not in each for each in resources):
            continue
        values = [_parse(each[name]) for each in resources if name in each]
        if any(value is None for value in values):
            continue
        totals[name] = _format(sum((v for v in values if v is not None), Decimal(0)), name)
    return totals


def _parse(quantity: str) -> Decimal | None:
    from kubernetes.utils import parse_quantity  # the client is slow to import; load it on use

    try:
        value = parse_quantity(quantity)  # type: ignore[no-untyped-call]
    except (ValueError, TypeError, InvalidOperation):
        return None
    return value if isinstance(value, Decimal) else None


def _format(value: Decimal, resource: str) -> str:
    """Print a quantity the way kubectl would: `350m` CPU, `1536Mi` memory."""
    if resource == "cpu":
        if value == value.to_integral_value():
            return str(int(value))
        return f"{int(value * 1000)}m"
    for unit, size in _BINARY_UNITS:
        if value >= size and value % size == 0:
            return f"{int(value / size)}{unit}"
    return str(int(value)) if value == value.to_integral_value() else str(value)
