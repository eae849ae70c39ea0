"""Lua scripts blocking Redis, read from `redis-cli SLOWLOG GET` with the client that ran them."""

from faultmaven.snapshots import read_snapshots

SLOWLOG = """$ redis-cli -h redis-game-01 SLOWLOG GET 3
1) 1) (integer) 48213
   2) (integer) 1750258512
   3) (integer) 33871422
   4) 1) "EVALSHA"
      2) "7f3c91de0a2b64c8e1f05d9a33be7c12a8f4d6e0"
      3) "0"
   5) "10.61.4.77:51822"
   6) "leaderboard-worker"
2) 1) (integer) 48212
   2) (integer) 1750258211
   3) (integer) 12004
   4) 1) "ZUNIONSTORE"
      2) "tmp:friends:88213"
   5) "10.61.2.14:40122"
   6) "game-api"
3) 1) (integer) 48211
   2) (integer) 1750258100
   3) (integer) 250000
   4) 1) "EVAL"
      2) "return 1"
   5) "10.61.2.15:40123"
   6) "game-api"
""".splitlines()


def test_script_calls_over_a_second_are_named_after_their_client() -> None:
    found = [
        (finding.line_start, finding.subject)
        for finding in read_snapshots(SLOWLOG)
        if finding.kind == "redis_slow_script"
    ]
    assert found == [(5, "leaderboard-worker")]
