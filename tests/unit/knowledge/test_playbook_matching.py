from faultmaven.knowledge.playbooks import playbooks_matching


def test_a_pasted_error_line_names_its_playbook_first() -> None:
    line = "2026-03-04 11:02:13.447 UTC [2212] FATAL:  sorry, too many clients already"
    assert playbooks_matching(line)[0] == "postgres-too-many-connections"


def test_each_line_of_a_paste_is_matched() -> None:
    paste = (
        "ordinary startup line\n"
        'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n'
    )
    assert "jvm-heap-outofmemory" in playbooks_matching(paste)


def test_prose_matches_no_playbook() -> None:
    assert playbooks_matching("why is the checkout page slow today?") == []
