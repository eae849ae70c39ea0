"""`/v1/knowledge` over real HTTP: add, list, search, remove, and cases becoming knowledge."""

import io
from collections.abc import Callable

import httpx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

RUNBOOK = b"""---
title: Payments API returns 502 after deploy
kind: runbook
tags: [payments, nginx]
---
# Payments API returns 502 after deploy

## Symptoms
The edge proxy logs connect() failed (111: Connection refused) while connecting to upstream
for the payments pool right after a rollout.

## Diagnosis
```sh
kubectl -n payments rollout history deployment/payments-api
```

## Remediation
Roll back the deployment and check the new image's listen port.
"""


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 8, paragraph)
    return bytes(pdf.output())


def test_markdown_upload_is_searchable_and_re_upload_updates_it(client: httpx.Client) -> None:
    files = {"file": ("payments-502.md", RUNBOOK, "text/markdown")}
    first = client.post("/v1/knowledge/documents", files=files)
    assert first.status_code == 201, first.text
    document = first.json()
    assert document["title"] == "Payments API returns 502 after deploy"
    assert document["kind"] == "runbook" and document["tags"] == ["nginx", "payments"]
    assert document["chunks"] >= 3 and document["bundled"] is False
    again = client.post("/v1/knowledge/documents", files=files)
    assert again.status_code == 201 and again.json()["id"] == document["id"]

    found = client.get(
        "/v1/knowledge/search",
        params={"q": "upstream connection refused after rollout", "kind": "runbook"},
    )
    assert found.status_code == 200, found.text
    results = found.json()["results"]
    assert results[0]["document_id"] == document["id"]
    assert set(results[0]) == {
        "document_id",
        "title",
        "kind",
        "source",
        "url",
        "heading",
        "text",
        "score",
    }
    assert results[0]["heading"].startswith("Payments API returns 502 after deploy")


def test_json_document_with_tags_filters_search_and_can_be_deleted(client: httpx.Client) -> None:
    created = client.post(
        "/v1/knowledge/documents",
        json={
            "title": "Orders DB failover postmortem",
            "content": "## Impact\nWrites failed for 14 minutes while the replica was promoted.",
            "kind": "postmortem",
            "tags": ["Orders", "postgres"],
            "url": "https://wiki.example.com/pm/orders-failover",
        },
    )
    assert created.status_code == 201, created.text
    document_id = created.json()["id"]
    hits = client.get("/v1/knowledge/search", params={"q": "replica promoted", "tags": "orders"})
    assert [hit["document_id"] for hit in hits.json()["results"]][:1] == [document_id]
    assert hits.json()["results"][0]["url"] == "https://wiki.example.com/pm/orders-failover"
    other_tag = client.get("/v1/knowledge/search", params={"q": "replica promoted", "tags": "nope"})
    assert other_tag.json()["results"] == []
    assert client.delete(f"/v1/knowledge/documents/{document_id}").status_code == 204
    assert client.delete(f"/v1/knowledge/documents/{document_id}").status_code == 404
    listed = client.get("/v1/knowledge/documents").json()
    assert document_id not in {item["id"] for item in listed}


def test_html_keeps_main_text_and_pdf_text_is_indexed(client: httpx.Client) -> None:
    html = b"""<html><head><title>DNS runbook</title><script>var x=1</script></head>
    <body><nav>Home | Teams</nav><main><h1>CoreDNS timeouts</h1>
    <p>Pods log lookup failures with i/o timeout against the cluster DNS service.</p>
    <pre>kubectl -n kube-system logs -l k8s-app=kube-dns</pre></main>
    <footer>Copyright</footer></body></html>"""
    page = client.post("/v1/knowledge/documents", files={"file": ("dns.html", html, "text/html")})
    assert page.status_code == 201, page.text
    pdf = _pdf(
        "Kafka lag guide", ["Consumer lag grows when the consumers are slower than producers."]
    )
    document = client.post(
        "/v1/knowledge/documents", files={"file": ("kafka.pdf", pdf, "application/pdf")}
    )
    assert document.status_code == 201, document.text
    assert document.json()["title"] == "Kafka lag guide"
    hits = client.get(
        "/v1/knowledge/search", params={"q": "CoreDNS i/o timeout", "limit": 3, "kind": "doc"}
    )
    texts = [
        hit["text"] for hit in hits.json()["results"] if hit["document_id"] == page.json()["id"]
    ]
    assert texts and "Home | Teams" not in texts[0] and "Copyright" not in texts[0]


def test_bad_documents_get_clear_errors(client: httpx.Client) -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_pdf("Secret", ["hidden words"]))))
    writer.encrypt("s3cret")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    cases = [
        (("locked.pdf", encrypted.getvalue(), "application/pdf"), 422, "encrypted"),
        (("blob.bin", b"\x00\x01\x02ELF" * 500, "application/octet-stream"), 415, None),
        (("empty.md", b"  \n", "text/markdown"), 422, None),
    ]
    for file, status, words in cases:
        response = client.post("/v1/knowledge/documents", files={"file": file})
        assert response.status_code == status, (file[0], response.text)
        assert response.headers["content-type"] == "application/problem+json"
        if words:
            assert words in response.json()["detail"]
    assert (
        client.post(
            "/v1/knowledge/documents",
            content=b"{not json",
            headers={"content-type": "application/json"},
        ).status_code
        == 422
    )
    assert client.get("/v1/knowledge/search").status_code == 422
    assert client.get("/v1/knowledge/search", params={"q": "x", "limit": 500}).status_code == 422
    assert client.delete("/v1/knowledge/documents/not-an-id").status_code in (404, 422)


def test_documents_over_the_upload_limit_are_refused(client: httpx.Client) -> None:
    huge = b"# Big\n" + b"words and more words\n" * 600_000
    response = client.post(
        "/v1/knowledge/documents", files={"file": ("big.md", huge, "text/markdown")}
    )
    assert response.status_code == 413


def test_tenants_do_not_see_each_others_documents(
    client_for: Callable[[str | None], httpx.Client], new_key: Callable[[], str]
) -> None:
    owner, stranger = client_for(new_key()), client_for(new_key())
    created = owner.post(
        "/v1/knowledge/documents",
        json={"title": "Zookeeper quorum loss", "content": "Ensemble lost quorum after a reboot."},
    )
    document_id = created.json()["id"]
    hits = stranger.get("/v1/knowledge/search", params={"q": "zookeeper quorum", "limit": 20})
    assert document_id not in {hit["document_id"] for hit in hits.json()["results"]}
    assert stranger.delete(f"/v1/knowledge/documents/{document_id}").status_code == 404
    assert owner.delete(f"/v1/knowledge/documents/{document_id}").status_code == 204


def test_resolved_case_becomes_knowledge_for_the_next_incident(client: httpx.Client) -> None:
    case = client.post(
        "/v1/cases", json={"title": "search pods evicted overnight", "description": "night batch"}
    ).json()
    closed = client.post(
        f"/v1/cases/{case['id']}/close",
        json={
            "root_cause": "ephemeral storage filled by the debug log level left on in search",
            "fix": "set LOG_LEVEL=info and give the pod an ephemeral-storage limit",
        },
    )
    assert closed.status_code == 200, closed.text
    hits = client.get(
        "/v1/knowledge/search", params={"q": "ephemeral storage debug logging", "kind": "case"}
    ).json()["results"]
    assert hits and hits[0]["title"] == "Resolved case: search pods evicted overnight"
    assert hits[0]["source"] == f"case:{case['id']}"


@pytest.mark.parametrize("path", ["/v1/knowledge/documents", "/v1/knowledge/search?q=disk"])
def test_knowledge_needs_a_key(client_for: Callable[[str | None], httpx.Client], path: str) -> None:
    assert client_for(None).get(path).status_code == 401


def test_openapi_documents_file_and_json_bodies(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/knowledge/documents"]["post"]["requestBody"]["content"]
    assert set(body) == {"multipart/form-data", "application/json"}
    assert body["application/json"]["schema"]["required"] == ["title", "content"]
    assert "/v1/knowledge/search" in spec["paths"]
