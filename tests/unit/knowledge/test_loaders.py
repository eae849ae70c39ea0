import io
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from faultmaven.domain.errors import (
    EvidenceTooLargeError,
    InvalidInputError,
    UnsupportedEvidenceError,
)
from faultmaven.domain.knowledge import KnowledgeKind
from faultmaven.knowledge.chunking import chunk_document
from faultmaven.knowledge.loaders import load_document

SAMPLES = Path(__file__).parent / "samples"


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _pdf(pages: list[str], *, title: str | None = None) -> bytes:
    pdf = FPDF()
    if title is not None:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _encrypted(data: bytes, *, user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Markdown


def test_markdown_front_matter_gives_title_kind_tags_url_and_whole_metadata() -> None:
    document = load_document("oomkilled-runbook.md", _sample("oomkilled-runbook.md"))

    assert document.media_type == "text/markdown"
    assert document.title == "OOMKilled pods in the checkout service"
    assert document.kind is KnowledgeKind.RUNBOOK
    assert document.tags == ["kubernetes", "memory", "oomkilled"]
    assert document.url == "https://wiki.example.com/runbooks/checkout-oomkilled"
    assert document.metadata["owner"] == "payments-sre"
    assert document.metadata["signatures"] == [{"kubernetes_reason": "OOMKilled"}]
    assert document.metadata["last_reviewed"] == "2024-03-01"


def test_markdown_text_is_the_body_without_front_matter() -> None:
    document = load_document("oomkilled-runbook.md", _sample("oomkilled-runbook.md"))

    assert document.text.startswith("# OOMKilled pods in the checkout service\n")
    assert "owner: payments-sre" not in document.text
    assert "kubectl -n checkout top pod --containers" in document.text


def test_markdown_title_falls_back_to_first_top_heading_outside_code() -> None:
    text = "```\n# not a title\n```\n\nIntro.\n\n## Section\n\n# Redis maxmemory reached\n"

    document = load_document("notes.md", text.encode())

    assert document.title == "Redis maxmemory reached"


def test_markdown_title_falls_back_to_file_stem_without_heading() -> None:
    document = load_document("docs/redis-eviction.md", b"Evictions rise when maxmemory is hit.")

    assert document.title == "redis-eviction"
    assert document.metadata == {}
    assert document.kind is None


def test_markdown_comma_separated_tags_and_type_field_are_understood() -> None:
    text = "---\ntype: Postmortem\ntags: DNS, CoreDNS , ,dns\nurl: https://x.example/pm\n---\nBody"

    document = load_document("pm.markdown", text.encode())

    assert document.kind is KnowledgeKind.POSTMORTEM
    assert document.tags == ["dns", "coredns"]
    assert document.url == "https://x.example/pm"


def test_markdown_kind_that_is_not_a_knowledge_kind_is_ignored() -> None:
    document = load_document("a.md", b"---\nkind: recipe\n---\nBody text")

    assert document.kind is None
    assert document.metadata == {"kind": "recipe"}


def test_malformed_front_matter_is_refused_naming_the_file_and_line() -> None:
    with pytest.raises(InvalidInputError) as refused:
        load_document("malformed-front-matter.md", _sample("malformed-front-matter.md"))

    assert "malformed-front-matter.md" in refused.value.detail
    assert "line 4" in refused.value.detail


def test_unclosed_front_matter_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"a\.md.*never closed"):
        load_document("a.md", b"---\ntitle: x\n\n# Heading\n\nBody\n")


def test_front_matter_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"a\.md.*mapping"):
        load_document("a.md", b"---\n- one\n- two\n---\nBody\n")


def test_markdown_with_only_front_matter_is_refused_as_empty() -> None:
    with pytest.raises(InvalidInputError, match=r"only\.md"):
        load_document("only.md", b"---\ntitle: Nothing here\n---\n\n  \n")


# Plain text and decoding


def test_plain_text_title_is_its_first_short_line() -> None:
    text = b"\n\nRestarting the ingress controller\n\nDrain the node first, then restart.\n"

    document = load_document("ingress.txt", text)

    assert document.media_type == "text/plain"
    assert document.title == "Restarting the ingress controller"
    assert document.text == text.decode()


def test_plain_text_with_a_long_first_line_is_titled_by_file_stem() -> None:
    document = load_document("notes/ingress.rst", ("word " * 40).encode())

    assert document.title == "ingress"


def test_file_without_suffix_is_plain_text() -> None:
    document = load_document("README", b"How to rotate the TLS certificate\n\nSteps follow.")

    assert document.media_type == "text/plain"


def test_latin1_bytes_are_decoded_without_losing_accents() -> None:
    text = "Redémarrer le service de paiement après la mise à jour.\n"

    document = load_document("procédure.txt", text.encode("latin-1"))

    assert document.text == text


def test_utf8_with_a_few_bad_bytes_keeps_the_valid_characters() -> None:
    data = "Größe überschritten".encode() + b" \xff end"

    document = load_document("a.txt", data)

    assert document.text == "Größe überschritten \ufffd end"


def test_utf16_with_bom_is_decoded() -> None:
    data = "Disk full on /var\n\nRun du -sh /var/* to find the culprit.\n".encode("utf-16")

    document = load_document("disk.txt", data)

    assert document.title == "Disk full on /var"
    assert "du -sh /var/*" in document.text


def test_utf8_bom_is_stripped_and_crlf_normalised() -> None:
    data = b"\xef\xbb\xbf# Title\r\n\r\nBody line\r\n"

    document = load_document("a.md", data)

    assert document.title == "Title"
    assert document.text == "# Title\n\nBody line"


# Refusals


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_whitespace_file_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInputError, match=r"blank\.md"):
        load_document("blank.md", data)


def test_whitespace_only_utf16_file_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"blank\.txt"):
        load_document("blank.txt", "  \n\n ".encode("utf-16"))


def test_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(EvidenceTooLargeError, match=r"big\.txt.*101 bytes.*100-byte"):
        load_document("big.txt", b"a" * 101, max_bytes=100)


def test_file_at_the_size_limit_is_loaded() -> None:
    assert load_document("big.txt", b"a" * 100, max_bytes=100).text == "a" * 100


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
        ("runbook.md", bytes(range(256)) * 4),
        ("archive.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
        ("controls.txt", b"\x01\x02\x03\x04\x05 ok \x06\x07\x08\x0e\x0f"),
    ],
)
def test_binary_content_is_refused_as_unsupported(name: str, data: bytes) -> None:
    with pytest.raises(UnsupportedEvidenceError) as refused:
        load_document(name, data)

    assert name in refused.value.detail


def test_file_named_pdf_without_pdf_content_is_refused() -> None:
    with pytest.raises(UnsupportedEvidenceError, match=r"fake\.pdf"):
        load_document("fake.pdf", b"just some text")


# HTML


def test_html_keeps_main_article_text_and_drops_page_chrome() -> None:
    document = load_document("checkout-latency.html", _sample("checkout-latency.html"))

    assert document.media_type == "text/html"
    assert document.title == "Checkout latency runbook | Acme Engineering Wiki"
    for chrome in ["All runbooks", "tracking pixel", "font-family", "Search the wiki"]:
        assert chrome not in document.text
    for chrome in ["Acme Corp", "Last edited by", "Database runbooks"]:
        assert chrome not in document.text
    assert "`CheckoutLatencyHigh` alert fires" in document.text


def test_html_headings_become_markdown_headings_of_the_same_depth() -> None:
    document = load_document("checkout-latency.html", _sample("checkout-latency.html"))

    lines = document.text.split("\n")
    assert "# Checkout latency runbook" in lines
    assert "## Diagnosis" in lines
    assert "### Common causes" in lines


def test_html_pre_block_becomes_one_whole_fenced_block() -> None:
    document = load_document("checkout-latency.html", _sample("checkout-latency.html"))

    expected = (
        "```bash\n"
        "kubectl -n checkout logs deploy/checkout --since=15m \\\n"
        '  | grep "HikariPool-1 - Connection is not available"\n'
        "\n"
        "# count waiting threads\n"
        "curl -s http://checkout:8080/actuator/metrics/hikaricp.connections.pending\n"
        "```"
    )
    assert expected in document.text


def test_html_list_items_become_dash_lines_and_paragraphs_are_separated() -> None:
    document = load_document("checkout-latency.html", _sample("checkout-latency.html"))

    assert "- A slow query holding connections (see pg_stat_activity)." in document.text
    assert "\n  - Check the Helm values diff." in document.text
    assert "exhausted:\n\n```bash" in document.text


def test_html_headings_and_code_survive_chunking() -> None:
    document = load_document("checkout-latency.html", _sample("checkout-latency.html"))

    chunks = chunk_document(document.text, max_chars=300, overlap_chars=50)

    diagnosis = [chunk for chunk in chunks if chunk.heading[-1] == "Diagnosis"]
    assert any("hikaricp.connections.pending\n```" in chunk.text for chunk in diagnosis)
    assert chunks[-1].heading == ["Checkout latency runbook", "Remediation"]


def test_html_is_sniffed_from_content_without_suffix() -> None:
    data = b"  <!DOCTYPE html><html><body><h1>Rotate keys</h1><p>Use vault.</p></body></html>"

    document = load_document("page", data)

    assert document.media_type == "text/html"
    assert document.title == "Rotate keys"
    assert document.text == "# Rotate keys\n\nUse vault."


def test_legacy_html_with_thousands_of_unclosed_tags_is_read() -> None:
    paragraphs = b"".join(b"<p>Step %d <b>restart" % number for number in range(3000))
    data = b"<html><body><h1>Old wiki page</h1>" + paragraphs + b"<div>" * 5000 + b"end"

    document = load_document("legacy.htm", data)

    blocks = document.text.split("\n\n")
    assert blocks[0] == "# Old wiki page"
    assert blocks[1:3] == ["Step 0 restart", "Step 1 restart"]
    assert blocks[-1] == "end"


def test_html_tables_become_one_line_per_row_even_with_unclosed_cells() -> None:
    data = (
        b"<html><body><table><tr><th>Node</th><th>Disk</th></tr>"
        b"<tr><td>web-1<td>91%<tr><td><p>web-2</p><p>(spare)</p><td></table></body></html>"
    )

    document = load_document("disks.html", data)

    assert document.text == "Node | Disk\nweb-1 | 91%\nweb-2 (spare) |"


def test_html_page_without_text_is_refused() -> None:
    data = b"<html><head><title>T</title><script>x()</script></head><body><nav>Home</nav></body>"

    with pytest.raises(InvalidInputError, match=r"empty\.html"):
        load_document("empty.html", data)


# PDF


def test_pdf_pages_are_joined_and_titled_from_metadata() -> None:
    data = _pdf(
        [
            "Disk pressure on build agents\nAgents stop scheduling jobs when /var is full.",
            "Diagnosis\nRun df -h /var and docker system df.",
            "Remediation\nRun docker builder prune --all --force.",
        ],
        title="Disk pressure runbook",
    )

    document = load_document("disk-pressure.pdf", data)

    assert document.media_type == "application/pdf"
    assert document.title == "Disk pressure runbook"
    pages = document.text.split("\n\n")
    assert len(pages) == 3
    assert pages[1] == "Diagnosis\nRun df -h /var and docker system df."


def test_pdf_without_title_metadata_is_titled_by_its_first_line() -> None:
    document = load_document("x.pdf", _pdf(["Certificate rotation\nRenew with certbot."]))

    assert document.title == "Certificate rotation"


def test_pdf_is_recognised_by_magic_whatever_its_name() -> None:
    document = load_document("upload.bin", _pdf(["Kafka consumer lag\nCheck the group."]))

    assert document.media_type == "application/pdf"


def test_text_that_quotes_the_pdf_magic_is_still_text() -> None:
    data = b"# Broken invoices\n\nThe file starts with %PDF-1.7 but is truncated.\n"

    document = load_document("invoices.md", data)

    assert document.media_type == "text/markdown"
    assert document.title == "Broken invoices"


def test_encrypted_pdf_is_refused_with_a_clear_error() -> None:
    data = _encrypted(_pdf(["Secret runbook"]), user_password="hunter2")

    with pytest.raises(InvalidInputError) as refused:
        load_document("secret.pdf", data)

    assert "secret.pdf" in refused.value.detail
    assert "encrypted" in refused.value.detail


def test_pdf_encrypted_without_user_password_is_read() -> None:
    data = _encrypted(_pdf(["Permissions only\nAnyone may read this."]), user_password="")

    document = load_document("restricted.pdf", data)

    assert "Anyone may read this." in document.text


def test_aes_pdf_restricted_only_by_permissions_is_read() -> None:
    data = _encrypted(
        _pdf(["Drain the consumer group first."]), user_password="", algorithm="AES-256"
    )

    document = load_document("aes.pdf", data)

    assert "Drain the consumer group first." in document.text


def test_aes_pdf_with_a_password_is_refused() -> None:
    data = _encrypted(_pdf(["Secret"]), user_password="hunter2", algorithm="AES-256")

    with pytest.raises(InvalidInputError, match="encrypted"):
        load_document("aes-secret.pdf", data)


def test_pdf_without_text_layer_is_refused() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    data = bytes(pdf.output())

    with pytest.raises(InvalidInputError) as refused:
        load_document("scan.pdf", data)

    assert "scan.pdf" in refused.value.detail
    assert "no text layer" in refused.value.detail


def test_truncated_pdf_is_refused_as_unreadable() -> None:
    data = _pdf(["Some text"])[:200]

    with pytest.raises(InvalidInputError, match=r"broken\.pdf"):
        load_document("broken.pdf", data)
