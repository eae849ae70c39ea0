"""An Ingress whose TLS Secret is missing from its namespace serves the default certificate."""

from faultmaven.domain.diagnosis import Category
from faultmaven.integrations.kubernetes import combine_findings, is_kubernetes_text, read_kubernetes
from faultmaven.integrations.kubernetes._tls_secrets import TLS_SECRET_NOT_FOUND

DESCRIBE_INGRESS = """\
$ kubectl -n web describe ingress storefront
Name:             storefront
Labels:           app.kubernetes.io/instance=storefront
Namespace:        web
Address:          34.90.14.201
Ingress Class:    nginx
Default backend:  <default>
TLS:
  storefront-tls terminates www.example.com,example.com
Rules:
  Host             Path  Backends
  ----             ----  --------
  www.example.com
                   /   storefront:80 (10.8.2.41:8080,10.8.4.17:8080)
Annotations:      <none>
Events:           <none>
"""

ALL_SECRETS = """\
$ kubectl get secrets -A --field-selector type=kubernetes.io/tls
NAMESPACE   NAME                     TYPE                DATA   AGE
shop        api-tls                  kubernetes.io/tls   2      412d
shop        storefront-tls           kubernetes.io/tls   2      187d
web         storefront-preview-tls   kubernetes.io/tls   2      41m
"""


def namespace_secrets(command: str, *names: str) -> str:
    rows = "".join(f"{name:<24} kubernetes.io/tls   2      9d\n" for name in names)
    return f"$ {command}\nNAME                     TYPE                DATA   AGE\n{rows}"


def missing(*texts: str) -> list:
    found = combine_findings([read_kubernetes(text) for text in texts])
    return [each for each in found if each.finding.reason == TLS_SECRET_NOT_FOUND]


def test_a_secret_listing_is_kubernetes_evidence() -> None:
    assert is_kubernetes_text(ALL_SECRETS)
    assert read_kubernetes(ALL_SECRETS).secret_listings[0].secrets["shop/storefront-tls"] == 4


def test_a_tls_secret_left_in_another_namespace_is_the_cause_at_the_ingress() -> None:
    found = missing(DESCRIBE_INGRESS, ALL_SECRETS)
    assert len(found) == 1
    cause = found[0].finding
    assert (cause.kind, cause.name, cause.category) == ("Ingress", "storefront", Category.TLS)
    assert "does not exist in namespace web" in (cause.message or "")
    assert "exists in namespace shop" in (cause.message or "")
    cited = {s.item: [(x.line_start, x.line_end) for x in s.lines] for s in found[0].sources}
    assert cited == {0: [(9, 9)], 1: [(4, 4)]}


def test_both_in_one_item_give_the_finding_too() -> None:
    reading = read_kubernetes(DESCRIBE_INGRESS + "\n" + ALL_SECRETS)
    assert TLS_SECRET_NOT_FOUND in [finding.reason for finding in reading.findings]


def test_the_secret_present_in_the_ingress_namespace_is_no_finding() -> None:
    listing = namespace_secrets("kubectl -n web get secrets", "storefront-tls", "other")
    assert missing(DESCRIBE_INGRESS, listing) == []


def test_a_listing_of_the_namespace_without_the_secret_cites_its_header() -> None:
    listing = namespace_secrets("kubectl get secrets --namespace=web", "other-tls")
    found = missing(DESCRIBE_INGRESS, listing)
    assert [(x.line_start, x.line_end) for x in found[0].sources[1].lines] == [(2, 2)]


def test_listings_that_may_leave_secrets_out_prove_nothing() -> None:
    for command in (
        "kubectl -n web get secrets -l app=storefront",
        "kubectl -n web get secrets | head -3",
        "kubectl -n web get secrets --field-selector type=Opaque",
        "kubectl -n shop get secrets",
    ):
        assert missing(DESCRIBE_INGRESS, namespace_secrets(command, "other-tls")) == [], command


def test_a_listing_whose_namespace_is_unknown_proves_nothing() -> None:
    listing = namespace_secrets("kubectl get secrets", "other-tls").partition("\n")[2]
    assert missing(DESCRIBE_INGRESS, listing) == []
