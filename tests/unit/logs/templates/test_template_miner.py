import json

from faultmaven.domain.logs import TemplateAssignment
from faultmaven.logs import templates as templates_package
from faultmaven.logs.templates import MinerConfig, TemplateMiner, group_of


def _receiving(index: int) -> str:
    return (
        f"Receiving block blk_{index * 7919} src: /10.0.{index % 200}.{index % 97}:{5000 + index}"
        f" dest: /10.0.1.{index % 50}:50010"
    )


def test_package_exports_exactly_its_public_api() -> None:
    assert sorted(templates_package.__all__) == [
        "MinerConfig",
        "MiningSettings",
        "TemplateCount",
        "TemplateMiner",
        "group_of",
        "mask",
    ]


def test_messages_of_one_shape_share_a_template_with_variables_masked() -> None:
    miner = TemplateMiner()
    assignments = miner.add_batch([_receiving(index) for index in range(50)])
    assert {entry.template for entry in assignments} == {"Receiving block <*> src: <*> dest: <*>"}
    assert len({entry.group for entry in assignments}) == 1


def test_group_is_derived_from_the_template_text() -> None:
    miner = TemplateMiner()
    entry = miner.add_batch(["Served block blk_1 to /10.0.0.1"])[0]
    assert entry == TemplateAssignment(entry.template, group_of(entry.template))
    other = TemplateMiner().add_batch(["Served block blk_99 to /10.9.9.9"])[0]
    assert other.group == entry.group


def test_different_messages_get_different_templates() -> None:
    miner = TemplateMiner()
    lines = ["Deleting block blk_1 file /data/1", "Verification succeeded for blk_2"] * 5
    assignments = miner.add_batch(lines)
    assert len({entry.group for entry in assignments}) == 2


def test_a_word_column_with_many_values_becomes_a_variable() -> None:
    users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"]
    lines = [f"session opened for user {name} by uid=0" for name in users * 3]
    miner = TemplateMiner()
    miner.add_batch(lines)
    assert [entry.template for entry in miner.templates()] == [
        "session opened for user <*> by uid=<*>"
    ]


def test_few_frequent_words_in_a_column_tell_templates_apart() -> None:
    lines = ["instance started successfully"] * 20 + ["instance stopped successfully"] * 20
    miner = TemplateMiner()
    miner.add_batch(lines)
    assert {entry.template for entry in miner.templates()} == {
        "instance started successfully",
        "instance stopped successfully",
    }


def test_templates_found_earlier_stay_when_more_lines_arrive() -> None:
    miner = TemplateMiner()
    first = miner.add_batch([_receiving(index) for index in range(20)])
    miner.add_batch(["PacketResponder 1 for block blk_5 terminating"] * 5)
    later = miner.add_batch([_receiving(index) for index in range(20, 40)])
    assert first[0] == later[0]
    assert [entry.template for entry in miner.final_assignments()[:20]] == [first[0].template] * 20


def test_a_later_batch_generalises_an_earlier_exact_template() -> None:
    miner = TemplateMiner()
    miner.add_batch(["session opened for user root"] * 3)
    users = ["u" + letter for letter in "abcdefghijklmnop"]
    miner.add_batch([f"session opened for user {name}" for name in users])
    final = {entry.template for entry in miner.final_assignments()}
    assert final == {"session opened for user <*>"}


def test_online_add_is_provisional_until_the_batch_is_mined() -> None:
    miner = TemplateMiner(MinerConfig(batch_size=1000))
    names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    first = miner.add("worker alpha joined the pool")
    assert first.template == "worker alpha joined the pool"
    for name in names[1:]:
        miner.add(f"worker {name} joined the pool")
    final = miner.final_assignments()
    assert {entry.template for entry in final} == {"worker <*> joined the pool"}
    assert miner.add("worker zulu joined the pool").template == "worker <*> joined the pool"


def test_state_round_trips_through_json_and_keeps_matching() -> None:
    miner = TemplateMiner()
    miner.add_batch([_receiving(index) for index in range(30)])
    miner.add_batch(["Starting thread to transfer block blk_9 to 10.0.0.3:50010"] * 4)
    state = json.loads(json.dumps(miner.export_state()))
    restored = TemplateMiner.from_state(state)
    assert restored.templates() == miner.templates()
    assert restored.add(_receiving(1234)).template == "Receiving block <*> src: <*> dest: <*>"


def test_state_of_an_unknown_version_is_refused() -> None:
    try:
        TemplateMiner.from_state({"version": 999, "templates": []})
    except ValueError as error:
        assert "version" in str(error)
    else:
        raise AssertionError("a state of an unknown version was accepted")


def test_templates_are_counted_and_sorted_by_frequency() -> None:
    miner = TemplateMiner()
    miner.add_batch(["alpha ready"] * 3 + ["beta failed with code 7"] * 5)
    counts = [(entry.template, entry.count) for entry in miner.templates()]
    assert counts == [("beta failed with code <*>", 5), ("alpha ready", 3)]


def test_key_value_tokens_with_different_keys_are_different_templates() -> None:
    lines = [f"getDataEnabled: subId=1 phoneId={index}" for index in range(12)]
    lines += [f"getDataEnabled: subId=1 retVal={value}" for value in ["true", "false"] * 6]
    miner = TemplateMiner()
    miner.add_batch(lines)
    assert {entry.template for entry in miner.templates()} == {
        "getDataEnabled: subId=<*> phoneId=<*>",
        "getDataEnabled: subId=<*> retVal=<*>",
    }


def test_a_symbol_placeholder_in_place_of_a_value_is_a_template_of_its_own() -> None:
    lines = [f"Fan speeds ( 3552 {3000 + index} **** 3515 )" for index in range(20)]
    lines += [f"Fan speeds ( 3552 {3000 + index} {4000 + index} 3515 )" for index in range(20)]
    miner = TemplateMiner()
    miner.add_batch(lines)
    assert {entry.template for entry in miner.templates()} == {
        "Fan speeds ( <*> <*> **** <*> )",
        "Fan speeds ( <*> <*> <*> <*> )",
    }


def test_shape_caches_stay_bounded_when_every_message_is_new_to_them() -> None:
    from faultmaven.logs.templates import MinerConfig

    miner = TemplateMiner(MinerConfig(batch_size=1_000, max_cached_shapes=2_000))
    letters = "abcdef"
    for number in range(20_000):
        request = "".join(letters[(number >> shift) % 6] for shift in range(0, 24, 3))
        miner.add(f"request {request} served in {number % 97} ms")
    assert len(miner._shapes_by_digit_key) <= 3_000
    assert len(miner._shapes) <= 3_000
    assert [t.template for t in miner.templates()] == ["request <*> served in <*> ms"]
