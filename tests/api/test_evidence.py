"""Evidence upload and paste over HTTP: accepted, decoded, numbered, or refused cleanly."""

import gzip
import io
import tarfile
import zipfile

import httpx
import pytest

PROBLEM = "application/problem+json"
TEST_UPLOAD_LIMIT = 8 * 1024 * 1024  # the limit the test settings give the server
APP_LOG = (
    "2024-05-01T10:00:00Z INFO checkout started\n"
    "2024-05-01T10:00:01Z ERROR could not write /var/lib/app/cache: No space left on device\n"
    "2024-05-01T10:00:02Z WARN retrying\n"
)


def _upload(
    client: httpx.Client, case_id: str, name: str, data: bytes, **fields: str
) -> httpx.Response:
    return client.post(f"/v1/cases/{case_id}/evidence", files={"file": (name, data)}, data=fields)


def _lines(
    client: httpx.Client, case_id: str, evidence_id: str, **params: int
) -> list[dict[str, object]]:
    response = client.get(f"/v1/cases/{case_id}/evidence/{evidence_id}/lines", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["lines"])


def _evidence_count(client: httpx.Client, case_id: str) -> int:
    return len(client.get(f"/v1/cases/{case_id}/evidence").json())


def test_uploaded_log_is_stored_ready_with_numbered_lines(
    client: httpx.Client, case_id: str
) -> None:
    response = _upload(client, case_id, "checkout.log", APP_LOG.encode())
    assert response.status_code == 201, response.text
    evidence = response.json()
    assert evidence["status"] == "ready" and evidence["kind"] == "log"
    assert evidence["line_count"] == 3 and evidence["decode_errors"] == 0
    assert evidence["size_bytes"] == len(APP_LOG.encode())
    assert _lines(client, case_id, evidence["id"], start=2, end=3) == [
        {"n": 2, "text": APP_LOG.splitlines()[1]},
        {"n": 3, "text": APP_LOG.splitlines()[2]},
    ]
    listed = client.get(f"/v1/cases/{case_id}/evidence").json()
    assert [item["id"] for item in listed] == [evidence["id"]]
    assert client.get(f"/v1/cases/{case_id}/evidence/{evidence['id']}").json() == evidence


def test_pasted_text_becomes_evidence(client: httpx.Client, case_id: str) -> None:
    response = client.post(
        f"/v1/cases/{case_id}/evidence",
        json={"name": "pasted error", "content": "psql: FATAL:  sorry, too many clients already"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["line_count"] == 1


def test_line_endings_of_every_kind_are_numbered_by_the_contract(
    client: httpx.Client, case_id: str
) -> None:
    evidence = _upload(client, case_id, "mixed.log", b"one\r\ntwo\rthree\nfour").json()
    assert evidence["line_count"] == 4
    texts = [line["text"] for line in _lines(client, case_id, evidence["id"])]
    assert texts == ["one", "two", "three", "four"]


def test_non_utf8_bytes_are_replaced_counted_and_kept(client: httpx.Client, case_id: str) -> None:
    data = b"ERROR caf\xe9 closed\nok \xff\xfe line\n"
    evidence = _upload(client, case_id, "latin1.log", data).json()
    assert evidence["status"] == "ready"
    assert evidence["decode_errors"] == 3
    assert _lines(client, case_id, evidence["id"])[0]["text"] == "ERROR caf\ufffd closed"


def test_utf16_with_bom_is_decoded(client: httpx.Client, case_id: str) -> None:
    data = "ERROR écrit\r\nsecond line\r\n".encode("utf-16")
    evidence = _upload(client, case_id, "windows.log", data).json()
    assert evidence["decode_errors"] == 0
    assert [line["text"] for line in _lines(client, case_id, evidence["id"])] == [
        "ERROR écrit",
        "second line",
    ]


def test_gzip_upload_is_decompressed_and_named_without_gz(
    client: httpx.Client, case_id: str
) -> None:
    evidence = _upload(client, case_id, "app.log.gz", gzip.compress(APP_LOG.encode())).json()
    assert evidence["name"] == "app.log" and evidence["line_count"] == 3


def test_zip_archive_becomes_one_evidence_per_member(client: httpx.Client, case_id: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("logs/api.log", APP_LOG)
        archive.writestr(
            "logs/db.log",
            "2024-05-01 10:00:00 UTC [42] FATAL:  the database system is shutting down\n",
        )
    response = _upload(client, case_id, "bundle.zip", buffer.getvalue())
    assert response.status_code == 201, response.text
    names = sorted(item["name"] for item in response.json()["items"])
    assert names == ["bundle.zip/logs/api.log", "bundle.zip/logs/db.log"]
    assert _evidence_count(client, case_id) == 2


def _zip_with_encrypted_member() -> bytes:
    """A zip whose member `locked.log` carries the 'encrypted' flag in both of its headers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readable.log", APP_LOG)
        archive.writestr("locked.log", b"ciphertext-standing-in")
    data = bytearray(buffer.getvalue())
    for signature, flags_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        header = data.rfind(signature)
        data[header + flags_offset] |= 0x1
    return bytes(data)


def test_encrypted_zip_member_is_kept_as_failed_evidence_beside_the_readable_ones(
    client: httpx.Client, case_id: str
) -> None:
    items = _upload(client, case_id, "mixed.zip", _zip_with_encrypted_member()).json()["items"]
    by_name = {item["name"]: item for item in items}
    assert by_name["mixed.zip/readable.log"]["status"] == "ready"
    locked_item = by_name["mixed.zip/locked.log"]
    assert locked_item["status"] == "failed" and "encrypted" in locked_item["error"]
    assert _evidence_count(client, case_id) == 2


def test_binary_archive_member_is_kept_as_failed_evidence(
    client: httpx.Client, case_id: str
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.log", APP_LOG)
        archive.writestr("bin/agent", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    items = _upload(client, case_id, "support.zip", buffer.getvalue()).json()["items"]
    by_name = {item["name"]: item for item in items}
    assert by_name["support.zip/app.log"]["status"] == "ready"
    binary = by_name["support.zip/bin/agent"]
    assert binary["status"] == "failed" and "executable" in binary["error"]
    assert binary["line_count"] == 0


def test_tar_gz_archive_becomes_one_evidence_per_member(client: httpx.Client, case_id: str) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in (("a.log", APP_LOG), ("b.log", "ERROR b\n")):
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            archive.addfile(info, io.BytesIO(text.encode()))
    items = _upload(client, case_id, "logs.tar.gz", buffer.getvalue()).json()["items"]
    assert sorted(item["name"] for item in items) == ["logs.tar/a.log", "logs.tar/b.log"]


def test_screenshot_is_stored_as_an_image_without_lines(client: httpx.Client, case_id: str) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
    evidence = _upload(client, case_id, "grafana.png", png).json()
    assert (
        evidence["kind"] == "image"
        and evidence["status"] == "ready"
        and evidence["line_count"] == 0
    )


def test_kinds_are_detected_from_content(client: httpx.Client, case_id: str) -> None:
    samples = {
        "series.csv": (
            "metrics",
            "timestamp,cpu,mem\n2024-05-01T10:00:00Z,0.5,100\n2024-05-01T10:01:00Z,0.9,120\n",
        ),
        "pod.txt": (
            "kubernetes",
            "Name:         checkout-7d9f8c6b5-x2k4q\nNamespace:    shop\nStatus:       Running\n",
        ),
        "notes.md": (
            "text",
            "We rolled back the release at noon.\nUsers saw errors before that.\n",
        ),
    }
    for name, (kind, content) in samples.items():
        evidence = _upload(client, case_id, name, content.encode()).json()
        assert evidence["kind"] == kind, name


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("empty.log", b"", 422),
        ("tool.bin", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8, 415),
        ("core.dump", b"\x00\x01\x02\x03" * 1000, 415),
        ("empty.log.gz", gzip.compress(b""), 422),
        ("broken.gz", b"\x1f\x8b\x08\x00garbage-not-deflate", 422),
    ],
)
def test_unusable_uploads_are_refused_and_store_nothing(
    client: httpx.Client, case_id: str, name: str, data: bytes, status: int
) -> None:
    response = _upload(client, case_id, name, data)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"]
    assert _evidence_count(client, case_id) == 0


def test_upload_over_the_limit_is_refused_and_stores_nothing(
    client: httpx.Client, case_id: str
) -> None:
    data = b"INFO padding line\n" * (TEST_UPLOAD_LIMIT // 18 + 10)
    response = _upload(client, case_id, "huge.log", data)
    assert response.status_code == 413
    assert _evidence_count(client, case_id) == 0


def test_streamed_upload_without_length_over_the_limit_is_refused(
    client: httpx.Client, case_id: str
) -> None:
    boundary = "fmboundary"

    def body():  # type: ignore[no-untyped-def]
        yield (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.log"\r\n\r\n'
        ).encode()
        chunk = b"INFO streaming padding\n" * 4096
        for _ in range(TEST_UPLOAD_LIMIT // len(chunk) + 2):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        f"/v1/cases/{case_id}/evidence",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert _evidence_count(client, case_id) == 0


def test_gzip_bomb_is_refused(client: httpx.Client, case_id: str) -> None:
    bomb = gzip.compress(b"\0" * (TEST_UPLOAD_LIMIT + 1024 * 1024))
    assert len(bomb) * 20 < TEST_UPLOAD_LIMIT
    response = _upload(client, case_id, "bomb.log.gz", bomb)
    assert response.status_code == 413
    assert "bomb" in response.json()["detail"]
    assert _evidence_count(client, case_id) == 0


def test_pasted_json_errors_are_clear(client: httpx.Client, case_id: str) -> None:
    path = f"/v1/cases/{case_id}/evidence"
    assert client.post(path, json={"name": "x", "content": "   "}).status_code == 422
    assert client.post(path, json={"content": "no name"}).status_code == 422
    malformed = client.post(
        path, content=b'{"name": "x", ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 422 and malformed.headers["content-type"] == PROBLEM
    assert (
        client.post(
            path, json={"name": "x", "content": "ERROR a", "timezone": "Mars/Olympus"}
        ).status_code
        == 422
    )
    assert (
        client.post(path, content=b"raw", headers={"content-type": "text/plain"}).status_code == 422
    )
    assert _evidence_count(client, case_id) == 0


def test_upload_with_unknown_kind_is_refused(client: httpx.Client, case_id: str) -> None:
    response = _upload(client, case_id, "x.log", b"ERROR x\n", kind="hologram")
    assert response.status_code == 422
    assert _evidence_count(client, case_id) == 0


def test_upload_to_a_missing_case_is_not_found(client: httpx.Client) -> None:
    response = _upload(client, "00000000-0000-0000-0000-000000000000", "x.log", b"ERROR x\n")
    assert response.status_code == 404


def test_deleted_evidence_is_gone_with_its_lines(client: httpx.Client, case_id: str) -> None:
    evidence_id = _upload(client, case_id, "x.log", APP_LOG.encode()).json()["id"]
    assert client.delete(f"/v1/cases/{case_id}/evidence/{evidence_id}").status_code == 204
    assert client.get(f"/v1/cases/{case_id}/evidence/{evidence_id}").status_code == 404
    assert client.get(f"/v1/cases/{case_id}/evidence/{evidence_id}/lines").status_code == 404
    assert _evidence_count(client, case_id) == 0
