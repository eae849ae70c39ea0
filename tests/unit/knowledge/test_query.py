from faultmaven.knowledge.query import meaningful_text, selective_lexemes


def test_postgres_log_line_keeps_words_and_drops_stamps_and_pids() -> None:
    line = "2026-03-04 11:02:13.447 UTC [2212] FATAL:  sorry, too many clients already"
    assert meaningful_text(line) == "FATAL sorry too many clients already"


def test_ids_hashes_addresses_and_pod_suffixes_are_dropped() -> None:
    line = (
        "req=9f1c2ab7e4d3 trace 123e4567-e89b-12d3-a456-426614174000 from 10.2.3.4:5432 "
        "pod checkout-7d9f8c6b5d-x2k4q at 0x7ffe12 took 5123ms"
    )
    kept = meaningful_text(line).split()
    assert "req" in kept and "trace" in kept and "from" in kept and "took" in kept
    for noise in ("9f1c2ab7e4d3", "10.2.3.4", "x2k4q", "0x7ffe12", "5123ms", "426614174000"):
        assert noise not in " ".join(kept)


def test_exception_names_are_split_into_their_words() -> None:
    words = meaningful_text("java.lang.OutOfMemoryError: Java heap space").split()
    assert "OutOfMemoryError" in words
    assert {"Out", "Of", "Memory", "Error"} <= set(words)


def test_query_of_only_noise_falls_back_to_the_text() -> None:
    assert meaningful_text("  12345 ") == "12345"


def test_small_indexes_keep_every_word() -> None:
    shares = {"pod": 0.4, "restart": 0.3, "oomkil": 0.0}
    assert selective_lexemes(shares, table_rows=300, max_matching_rows=3000) == [
        "oomkil",
        "restart",
        "pod",
    ]


def test_large_indexes_drop_the_commonest_words_first_but_keep_the_rarest() -> None:
    shares = {"pod": 0.4, "restart": 0.3, "oomkil": 0.0, "exit": 0.01}
    kept = selective_lexemes(shares, table_rows=100_000, max_matching_rows=3000)
    assert kept == ["oomkil", "exit"]
    assert selective_lexemes({"pod": 0.4, "error": 0.5, "fail": 0.6}, 100_000, 3000) == ["pod"]


def test_no_words_select_nothing() -> None:
    assert selective_lexemes({}, 100_000, 3000) == []
