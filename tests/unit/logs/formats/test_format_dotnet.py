from datetime import UTC, datetime

from format_reading import Reader

from faultmaven.domain.evidence import Level

DOTNET_LOG = """\
info: Microsoft.Hosting.Lifetime[14]
      Now listening on: http://[::]:7070
fail: Grpc.AspNetCore.Server.ServerCallHandler[6]
      Error when executing service method 'GetCart'.
      System.InvalidOperationException: Sequence contains more than one matching element
         at System.Linq.ThrowHelper.ThrowMoreThanOneMatchException()
warn: cartservice.cartstore.RedisCartStore[0]
      Slow Redis call took 812 ms"""


def test_dotnet_console_entries_are_one_event_each_with_their_message(read: Reader) -> None:
    events = read(DOTNET_LOG)
    assert [event.format for event in events] == ["dotnet"] * 3
    assert [event.level for event in events] == [Level.INFO, Level.ERROR, Level.WARN]
    assert [(event.line_start, event.line_end) for event in events] == [(1, 2), (3, 6), (7, 8)]
    assert events[0].message == "Now listening on: http://[::]:7070"
    assert events[1].message.startswith("Error when executing service method 'GetCart'.\n")
    assert "InvalidOperationException" in events[1].message
    assert events[1].attributes == {
        "logger": "Grpc.AspNetCore.Server.ServerCallHandler",
        "event_id": "6",
    }
    assert events[1].time is None


def test_a_timestamp_format_before_the_level_is_read(read: Reader) -> None:
    events = read("2025-04-02 09:43:12 crit: Payments.Worker[3]\n      Worker stopped")
    assert events[0].format == "dotnet"
    assert events[0].level is Level.FATAL
    assert events[0].time == datetime(2025, 4, 2, 9, 43, 12, tzinfo=UTC)
    assert events[0].message == "Worker stopped"


def test_words_that_only_look_like_the_header_are_not_dotnet(read: Reader) -> None:
    events = read("info: all good\nfail: two words[1] here")
    assert all(event.format != "dotnet" for event in events)
