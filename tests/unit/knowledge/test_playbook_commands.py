from faultmaven.knowledge.playbook_commands import (
    bundled_playbook,
    fill_command,
    playbook_steps,
    playbooks_for,
)
from faultmaven.knowledge.playbooks import commented_commands


def test_a_kubernetes_reason_names_its_playbook_first() -> None:
    found = playbooks_for(["Back-off restarting failed container"], kubernetes_reason="OOMKilled")
    assert found[0].id == "k8s-oomkilled"


def test_cited_lines_match_playbooks_by_their_regex_signatures() -> None:
    cited = ["2026-11-20 09:14:01.221 UTC [4411] FATAL:  sorry, too many clients already"]
    assert playbooks_for(cited)[0].id == "postgres-too-many-connections"


def test_nothing_matches_prose_or_an_unknown_reason() -> None:
    assert playbooks_for(["all requests served"], kubernetes_reason="NoSuchReason") == []


def test_every_placeholder_is_filled_from_the_values() -> None:
    command = "kubectl -n {namespace} exec {pod} -- cat /sys/fs/cgroup/memory.max"
    filled = fill_command(command, {"namespace": "shop", "pod": "checkout-7d9f8c6b5d-x2k4q"})
    assert (
        filled == "kubectl -n shop exec checkout-7d9f8c6b5d-x2k4q -- cat /sys/fs/cgroup/memory.max"
    )


def test_an_unknown_placeholder_gives_no_command() -> None:
    assert fill_command("kubectl -n {namespace} get pod {pod}", {"namespace": "shop"}) is None


def test_a_value_with_shell_syntax_counts_as_unknown() -> None:
    assert fill_command("psql -h {host}", {"host": "db-1; rm -rf /"}) is None


def test_shell_variables_and_commands_without_placeholders_are_left_alone() -> None:
    assert fill_command('echo "${HOME}" && dmesg -T', {}) == 'echo "${HOME}" && dmesg -T'


def test_each_command_keeps_the_comment_line_above_it() -> None:
    markdown = "```sh\n# First check\nls {host}\nls again\n\n# Second\ndf -h\n```\n"
    assert commented_commands(markdown) == [
        ("First check", "ls {host}"),
        (None, "ls again"),
        ("Second", "df -h"),
    ]


def test_playbook_steps_are_its_first_filled_commands_with_their_comments() -> None:
    playbook = bundled_playbook("k8s-oomkilled")
    assert playbook is not None
    steps = playbook_steps(playbook, {"namespace": "shop", "pod": "web-1"}, "h1")
    assert len(steps) == 3
    assert steps[2].action == "Current memory use per container (metrics-server)"
    assert steps[2].command == "kubectl -n shop top pod web-1 --containers"
    assert steps[2].why == f"From the playbook '{playbook.title}'"
    assert {step.hypothesis_id for step in steps} == {"h1"}


def test_a_playbook_nothing_can_fill_asks_for_the_missing_name_instead() -> None:
    playbook = bundled_playbook("postgres-too-many-connections")
    assert playbook is not None
    [step] = playbook_steps(playbook, {"service": "orders"}, "h1")
    assert step.command is None
    assert step.action.startswith("Find the host name to run the checks of the playbook")
