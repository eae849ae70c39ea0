"""The line of a multi-line event that names its failure, and the key that groups repeats."""

from faultmaven.logs.failure_lines import failure_key, failure_line

JAVA = [
    "09:31:00.121 ERROR 1 --- [exec-75] o.a.c.c.C.[dispatcherServlet] : Servlet.service()"
    " threw exception",
    'java.lang.NullPointerException: Cannot invoke "Campaign.getDiscount()" because it is null',
    "\tat com.shop.promotions.service.DiscountService.apply(DiscountService.java:118)",
    "Caused by: java.sql.SQLTransientConnectionException: pool-1 - Connection is not available",
    "\t... 88 more",
]
PYTHON = [
    "19:45:24,862 ERROR [inventory-api] unhandled error while serving POST /api/reserve/44",
    "Traceback (most recent call last):",
    '  File "/srv/app/pool.py", line 136, in get',
    "    raise PoolTimeout(",
    "pool.PoolTimeout: couldn't get a connection after 3.0 sec (pool size 6, all in use)",
]
CHAINED_PYTHON = [
    *PYTHON,
    "",
    "During handling of the above exception, another exception occurred:",
    "",
    "Traceback (most recent call last):",
    '  File "/srv/app/web.py", line 53, in dispatch',
    "RuntimeError: request 44 failed",
]
GO = [
    "2024/05/01 10:00:00 worker started",
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]",
    "goroutine 1 [running]:",
]


def test_java_trace_is_named_by_its_first_exception_line() -> None:
    assert failure_line(JAVA) == 1


def test_python_traceback_is_named_by_its_last_exception_line() -> None:
    assert failure_line(PYTHON) == 4
    assert failure_line(CHAINED_PYTHON) == len(CHAINED_PYTHON) - 1


def test_go_panic_is_named_by_its_panic_line() -> None:
    assert failure_line(GO) == 1


def test_event_without_an_exception_line_names_none() -> None:
    assert failure_line(["ERROR payment declined", "  card ending 4242", "  retry later"]) is None
    assert failure_line(["java.lang.IllegalStateException: head names it already"]) is None


def test_repeats_of_one_failure_share_a_key_and_numbers_are_masked() -> None:
    other_request = [PYTHON[0].replace("/44", "/433"), *PYTHON[1:3], "    raise PoolTimeout(",
                     PYTHON[4].replace("3.0 sec", "2.5 sec")]  # fmt: skip
    assert failure_key(PYTHON) == failure_key(other_request)
    assert failure_key(PYTHON) == (
        "pool.PoolTimeout: couldn't get a connection after <*> sec (pool size <*>, all in use)"
    )
    assert failure_key(["ERROR no trace here"]) is None
