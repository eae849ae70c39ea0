"""The general rules that tell names and field values from the constant words of an event."""

import pytest

from faultmaven.logs.templates import TemplateMiner, mask


def _templates(lines: list[str]) -> set[str]:
    miner = TemplateMiner()
    miner.add_batch(lines)
    return {entry.template for entry in miner.templates()}


def _sessions(users: list[str]) -> list[str]:
    closed = [f"session closed for user {name}" for name in users]
    opened = [
        f"session opened for user {name} by (uid={index})" for index, name in enumerate(users)
    ]
    return closed + opened


def test_the_few_names_after_user_are_one_variable_not_one_event_each() -> None:
    users = ["cyrus"] * 40 + ["news"] * 40 + ["test"] * 30 + ["root"]
    assert _templates(_sessions(users)) == {
        "session closed for user <*>",
        "session opened for user <*> by (uid=<*>)",
    }


def test_a_user_template_stays_the_same_when_more_lines_of_its_shape_arrive() -> None:
    miner = TemplateMiner()
    first = miner.add_batch(_sessions(["cyrus", "news", "test"] * 10))
    later = miner.add_batch(_sessions(["news", "cyrus", "dave"] * 10))
    assert later[0].template == first[0].template == "session closed for user <*>"
    assert {entry.template for entry in miner.templates()} == {
        "session closed for user <*>",
        "session opened for user <*> by (uid=<*>)",
    }


def test_words_after_other_words_still_tell_events_apart() -> None:
    lines = ["service cupsd startup succeeded"] * 20 + ["service cupsd shutdown succeeded"] * 20
    assert _templates(lines) == {
        "service cupsd startup succeeded",
        "service cupsd shutdown succeeded",
    }


def _failures(rhosts: list[str]) -> list[str]:
    return [f"authentication failure; logname= uid=0 tty=ssh rhost={host}" for host in rhosts]


def test_an_empty_field_is_an_event_apart_from_the_same_field_with_a_value() -> None:
    hosts = [
        f"host{letter}.example.{domain}" for letter in "abcdefghij" for domain in ("net", "org")
    ]
    assert _templates(_failures(hosts) + _failures([""] * 3)) == {
        "authentication failure; logname= uid=<*> tty=ssh rhost=<*>",
        "authentication failure; logname= uid=<*> tty=ssh rhost=",
    }


def test_a_field_whose_values_share_a_prefix_and_trailing_comma_is_still_a_variable() -> None:
    components = ["com.example.mail/.Compose", "com.example.music/.Player"]
    lines = [f"Skipping intent {{ cmp={name}, flg=0x1 }}" for name in components * 12]
    assert _templates(lines) == {"Skipping intent { cmp=com.example.<*>, flg=<*> }"}


def test_upper_case_states_of_a_field_tell_events_apart() -> None:
    lines = [f"MotionEvent {{ action={action}, x=1.0 }}" for action in ["ACTION_DOWN"] * 10]
    lines += [f"MotionEvent {{ action={action}, x=2.5 }}" for action in ["ACTION_UP"] * 10]
    assert _templates(lines) == {
        "MotionEvent { action=ACTION_DOWN, x=<*> }",
        "MotionEvent { action=ACTION_UP, x=<*> }",
    }


def test_varied_dotted_names_in_a_message_are_one_variable() -> None:
    actions = ["TIME_TICK", "TIME_TICK", "BATTERY_CHANGED", "SCREEN_ON"]
    properties = ["system.time.showampm", "system.ownerinfo.show", "system.charge.show"]
    lines = [f"received broadcast android.intent.action.{action}" for action in actions]
    lines += [f"visible is {name}" for name in properties]
    assert _templates(lines) == {
        "received broadcast android.intent.action.<*>",
        "visible is system.<*>",
    }


def test_two_dotted_alternatives_stay_constants_even_on_few_lines() -> None:
    lines = ["onReceive action: android.intent.action.SCREEN_ON"] * 3
    lines += ["onReceive action: android.intent.action.SCREEN_OFF"] * 2
    assert _templates(lines) == {
        "onReceive action: android.intent.action.SCREEN_ON",
        "onReceive action: android.intent.action.SCREEN_OFF",
    }


def test_dotted_names_recurring_on_many_lines_stay_constants() -> None:
    actions = ["SCREEN_ON", "SCREEN_OFF", "USER_PRESENT"]
    lines = [f"onReceive action: android.intent.action.{action}" for action in actions * 20]
    assert _templates(lines) == {
        f"onReceive action: android.intent.action.{action}" for action in actions
    }


def test_a_logger_name_leading_the_message_is_not_taken_for_a_variable() -> None:
    loggers = ["c.s.orders.web.OrderController", "c.s.orders.cache.PriceCache", "o.s.web.Servlet"]
    lines = [
        f"{logger} : cache refreshed in {index} ms" for index in range(8) for logger in loggers
    ]
    assert _templates(lines) == {f"{logger} : cache refreshed in <*> ms" for logger in loggers}


def test_a_quoted_field_value_with_spaces_is_masked_as_one_value() -> None:
    assert (
        mask('acquire lock=7, tag="View Lock", uid=1000') == 'acquire lock=<*>, tag="<*>", uid=<*>'
    )
    assert mask("set name='a b c' ok") == "set name='<*>' ok"
    assert mask('he said "hello there" twice') == 'he said "hello there" twice'


def test_a_quoted_field_value_with_spaces_joins_the_template_of_its_one_word_siblings() -> None:
    tags = ["AudioMix", "RILJ_ACK_WL", "WiredAccessoryManager", "handleAudioEvent", "*launch*"]
    lines = [f'acquire lock={index}, tag="{tag}", uid=1000' for index, tag in enumerate(tags * 5)]
    lines.append('acquire lock=9, tag="View Lock", uid=10037')
    assert _templates(lines) == {'acquire lock=<*>, tag="<*>", uid=<*>'}


def _acquires(count: int) -> list[str]:
    tags = ["AudioMix", "RILJ_ACK_WL", "View Lock", "handleAudioEvent", "*launch*"]
    return [f'acquire lock={index}, tag="{tags[index % 5]}", uid=1000' for index in range(count)]


@pytest.mark.parametrize(
    "lines",
    [
        _sessions(["cyrus", "news", "test", "root"] * 10),
        _failures(
            [f"host{index % 7}.example.{('net', 'org', 'com')[index % 3]}" for index in range(30)]
        )
        + _failures([""] * 6),
        _acquires(40),
        [f"visible is system.{name}.show" for name in ["time", "charge", "owner", "call"] * 10],
    ],
)
def test_templates_of_a_first_batch_stay_the_same_when_more_lines_of_their_shapes_arrive(
    lines: list[str],
) -> None:
    interleaved = lines[0::2] + lines[1::2]
    half = len(interleaved) // 2
    miner = TemplateMiner()
    first = [entry.template for entry in miner.add_batch(interleaved[:half])]
    miner.add_batch(interleaved[half:])
    final = [entry.template for entry in miner.final_assignments()]
    assert final[:half] == first
    assert {entry.template for entry in miner.templates()} == _templates(lines)
