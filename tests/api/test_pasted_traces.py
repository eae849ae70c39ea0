"""A span table among the evidence names the service failing calls start in."""

import httpx

HEADER = "traceID,spanID,parentSpanID,serviceName,operationName,startTime,duration,statusCode"


def _traces() -> str:
    """Ten minutes of product pages; from minute 5 one product's lookups fail in the catalogue."""
    rows = [HEADER]
    start = 1764064800_000000  # 2025-11-25T10:00:00Z in microseconds
    for n in range(600):
        at = start + n * 1_000_000
        failing = n >= 300 and n % 3 == 0
        rows.append(f"t{n},f{n},,frontend,HTTP GET /product,{at},9000,{500 if failing else 200}")
        rows.append(
            f"t{n},c{n},f{n},productcatalogservice,GetProduct,{at + 500},1300,{5 if failing else 0}"
        )
        rows.append(f"t{n},x{n},f{n},currencyservice,Convert,{at + 900},300,0")
    return "\n".join(rows) + "\n"


def _frontend_log() -> str:
    lines = []
    for n in range(600):
        stamp = f"2025-11-25T10:{n // 60:02d}:{n % 60:02d}Z"
        if n >= 300 and n % 3 == 0:
            lines.append(f'{stamp} ERROR request error path=/product status=500 error="rpc failed"')
        else:
            lines.append(f"{stamp} INFO request complete path=/product status=200")
    return "\n".join(lines) + "\n"


def test_the_service_failing_calls_start_in_is_the_cause_and_its_spans_are_cited(
    client: httpx.Client, case_id: str
) -> None:
    for name, text in (("traces.csv", _traces()), ("frontend.log", _frontend_log())):
        added = client.post(f"/v1/cases/{case_id}/evidence", files={"file": (name, text.encode())})
        assert added.status_code == 201, added.text
    question = {"content": "product pages fail since 10:05 UTC, which service is the root cause?"}
    answer = client.post(f"/v1/cases/{case_id}/messages", json=question)
    assert answer.status_code == 200, answer.text
    top = answer.json()["diagnosis"]["hypotheses"][0]
    assert (top["category"], top["component"]) == ("code_error", "productcatalogservice")
    cited = {(c["evidence_name"], c["line_start"]) for c in top["citations"]}
    assert ("traces.csv", 2 + 3 * 300 + 1) in cited  # the first failing catalogue span
