# ruff: noqa: E501
# Hand-written log lines, spans and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 style: logs in +08:00, spans, a wide metrics CSV at 5 s): a code
fault in ts-contacts-service. A build started at 13:02 local time (05:02 UTC) answers
GET /api/v1/contactservice/contacts/{id} with status 1, `Success` and `data: null` (a wrong
return value: the lookup result is dropped). Its own log says so only quietly, at INFO
(`contacts: null`). ts-preserve-service reads the contact's name and throws
NullPointerException on every booking; the spans show contacts answering 200 quickly, so
preserve looks guilty. Decoys: ts-preserve-service's NPE stack traces, ts-food-service's
ordinary `no food for trip` warnings, and ts-order-service's metrics (the busiest writer)."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 6, 24, 4, 45, tzinfo=UTC)
MINUTES = 35
ROLL = 17.4


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def contacts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"[getContactsByContactsId][Get contacts by id success][ContactsId: {uuid(rng)}, Name: {rng.choice(['Contacts_One', 'Contacts_Two', 'Wang Fang', 'Li Lei', 'Zhang Wei'])}]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[findContactsByAccountId][Find contacts by account id success][AccountId: {uuid(rng)}, size: {rng.randrange(1, 4)}]",
            (),
        )
    return "INFO", f"[createContacts][Create contacts success][AccountId: {uuid(rng)}]", ()


def contacts_null(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[getContactsByContactsId][Get contacts by id success][ContactsId: {uuid(rng)}, contacts: null]",
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return "INFO", f"[preserve][Step 1 - Check Contacts Exists][Contacts Id: {uuid(rng)}]", ()
    if roll < 0.6:
        return "INFO", f"[preserve][Step 2 - Check Security][Account Id: {uuid(rng)}]", ()
    if roll < 0.85:
        return "INFO", f"[preserve][Step 4 - Do Order][Order Id: {uuid(rng)}]", ()
    return (
        "INFO",
        f"[preserve][Step 5 - Buy Assurance][Order Id: {uuid(rng)}, Assurance type: 1]",
        (),
    )


def preserve_npe(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause",
        tuple(
            java_trace(
                "java.lang.NullPointerException: null",
                [
                    "preserve.service.PreserveServiceImpl.preserve(PreserveServiceImpl.java:118)",
                    "preserve.controller.PreserveController.preserve(PreserveController.java:43)",
                    "sun.reflect.GeneratedMethodAccessor183.invoke(Unknown Source)",
                    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
                ],
                more=68,
            )
        ),
    )


def food_line(rng: random.Random) -> Line:
    if rng.random() < 0.9:
        return (
            "INFO",
            f"[getAllFood][Get All Food][TripId: {rng.choice('GDZTK')}{rng.randrange(1000, 9999)}, foodStore size: {rng.randrange(1, 5)}]",
            (),
        )
    return (
        "WARN",
        f"[getAllFood][Get the Get Food Request Failed][no food for trip: {rng.choice('ZTK')}{rng.randrange(1000, 9999)}]",
        (),
    )


def span_rows(
    rng: random.Random, start: datetime, minutes: float, count: int, broken: bool
) -> list[tuple[int, str]]:
    rows = []
    for _ in range(count):
        begin = start + timedelta(seconds=rng.random() * minutes * 60)
        micros = int(begin.timestamp() * 1_000_000)
        trace = f"{rng.getrandbits(64):016x}"
        root, child, sub = (f"{rng.getrandbits(64):016x}" for _ in range(3))
        contacts_ms = rng.randrange(3000, 9000)
        if broken:
            total = contacts_ms + rng.randrange(4000, 12000)
            rows.append(
                (
                    micros,
                    f"{trace},{root},,ts-preserve-service,POST /api/v1/preserveservice/preserve,{micros},{total},500,STATUS_CODE_ERROR",
                )
            )
            rows.append(
                (
                    micros + 900,
                    f"{trace},{child},{root},ts-contacts-service,GET /api/v1/contactservice/contacts/{{contactsId}},{micros + 900},{contacts_ms},200,STATUS_CODE_UNSET",
                )
            )
        else:
            total = contacts_ms + rng.randrange(90000, 260000)
            rows.append(
                (
                    micros,
                    f"{trace},{root},,ts-preserve-service,POST /api/v1/preserveservice/preserve,{micros},{total},200,STATUS_CODE_UNSET",
                )
            )
            rows.append(
                (
                    micros + 900,
                    f"{trace},{child},{root},ts-contacts-service,GET /api/v1/contactservice/contacts/{{contactsId}},{micros + 900},{contacts_ms},200,STATUS_CODE_UNSET",
                )
            )
            rows.append(
                (
                    micros + 900 + contacts_ms + 2000,
                    f"{trace},{sub},{root},ts-order-service,POST /api/v1/orderservice/order,{micros + 900 + contacts_ms + 2000},{rng.randrange(20000, 80000)},200,STATUS_CODE_UNSET",
                )
            )
    return rows


def bundle() -> Bundle:
    rng = random.Random(20215)
    roll = START + timedelta(minutes=ROLL)
    contacts = LogFile(
        "logs/ts-contacts-service.log",
        SpringBoot(
            ("contacts.service.ContactsServiceImpl", "contacts.controller.ContactsController"),
            rng=rng,
            zone=CST,
        ),
    )
    contacts.add(traffic(rng, contacts_line, START, ROLL - 0.5, 1100))
    contacts.add(
        [
            at(
                START,
                ROLL - 0.45,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                ROLL,
                "INFO",
                "Started ContactsApplication in 31.442 seconds (JVM running for 33.918)",
                logger="contacts.ContactsApplication",
            ),
            at(
                START,
                ROLL + 0.02,
                "INFO",
                "Build: ts-contacts-service 1.0.2-SNAPSHOT (git 5e1c0a7, contacts lookup via ContactsRepository.findById)",
                logger="contacts.ContactsApplication",
            ),
        ]
    )
    contacts.add(
        [
            at(
                START,
                ROLL + 0.9,
                "INFO",
                "[getContactsByContactsId][Get contacts by id success][ContactsId: 7b3e91d2-55c0-4a8e-9f21-c0d4e6a81f3b, contacts: null]",
                logger="contacts.service.ContactsServiceImpl",
            )
        ]
    )
    contacts.add(
        traffic(
            rng,
            lambda r: (
                contacts_line(r)
                if r.random() < 0.6
                else (
                    "INFO",
                    f"[findContactsByAccountId][Find contacts by account id success][AccountId: {uuid(r)}, size: {r.randrange(1, 4)}]",
                    (),
                )
            ),
            roll + timedelta(minutes=0.1),
            MINUTES - ROLL - 0.1,
            500,
        )
    )
    contacts.add(loud(rng, START, ROLL + 0.95, MINUTES - ROLL - 1.0, 320, contacts_null))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng, zone=CST),
    )
    preserve.add(traffic(rng, preserve_line, START, ROLL + 0.9, 1300))
    preserve.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[preserve][Step 1 - Check Contacts Exists][Contacts Id: {uuid(r)}]",
                (),
            ),
            roll + timedelta(minutes=0.9),
            MINUTES - ROLL - 0.9,
            330,
        )
    )
    preserve.add(loud(rng, START, ROLL + 0.92, MINUTES - ROLL - 1.0, 320, preserve_npe))
    food = LogFile(
        "logs/ts-food-service.log",
        SpringBoot(("foodsearch.service.FoodServiceImpl",), rng=rng, zone=CST),
    )
    food.add(traffic(rng, food_line, START, MINUTES, 900))
    spans = span_rows(rng, START, ROLL + 0.9, 160, False) + span_rows(
        rng, roll + timedelta(minutes=0.95), MINUTES - ROLL - 1.0, 150, True
    )
    traces = (
        "trace_id,span_id,parent_span_id,service_name,operation_name,start_time_us,duration_us,http_status_code,status_code\n"
        + "\n".join(row for _, row in sorted(spans))
        + "\n"
    )
    levels = {
        "ts-ui-dashboard": (0.147, 60.4, (0.0128, 0.0597), 40.1),
        "ts-preserve-service": (0.274, 716.2, (0.1481, 0.3947), 5.2),
        "ts-contacts-service": (0.056, 564.8, (0.0077, 0.0216), 8.1),
        "ts-order-service": (0.229, 731.9, (0.0170, 0.0583), 16.4),
        "ts-security-service": (0.052, 568.1, (0.0118, 0.0331), 5.2),
        "ts-travel-service": (0.235, 700.3, (0.0309, 0.0915), 14.3),
        "ts-food-service": (0.070, 602.9, (0.0210, 0.0641), 4.0),
        "ts-assurance-service": (0.041, 561.8, (0.0068, 0.0189), 4.7),
        "ts-station-service": (0.120, 610.6, (0.0061, 0.0172), 38.5),
        "ts-user-service": (0.050, 569.7, (0.0081, 0.0230), 3.1),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    index = int((ROLL + 0.9) * 12)
    p = services["ts-preserve-service"]
    p["latency-50"] = shift(rng, 0.1481, 0.0112, index, 0.15)
    p["latency-90"] = shift(rng, 0.3947, 0.0305, index, 0.15)
    p["cpu"] = shift(rng, 0.274, 0.318, index, 0.08)
    services["ts-order-service"]["workload"] = shift(rng, 16.4, 11.7, index, 0.07)
    services["ts-assurance-service"]["workload"] = shift(rng, 4.7, 0.2, index, 0.5)
    files = {
        "metrics.csv": wide_csv(START, 5, MINUTES * 12, services),
        "traces.csv": traces,
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-contacts-service.log": contacts.render(),
        "logs/ts-food-service.log": food.render(),
    }
    return Bundle(
        question="Since about 13:03 Beijing time no Train-Ticket booking goes through (HTTP 500 on preserve). Which service is the root cause?",
        category="code_error",
        component="ts-contacts-service",
        statement="The ts-contacts-service build started at 13:02 +08:00 (05:02 UTC) answers contact lookups with status Success but `data: null`; from 13:03 ts-preserve-service dereferences the missing contact and throws NullPointerException on every booking, so POST /api/v1/preserveservice/preserve returns 500.",
        files=files,
        proofs=[
            Proof("logs/ts-contacts-service.log", "git 5e1c0a7"),
            Proof("logs/ts-contacts-service.log", "7b3e91d2-55c0-4a8e-9f21-c0d4e6a81f3b"),
        ],
        decoys=[
            "java.lang.NullPointerException: null",
            "no food for trip",
            "ts-order-service_workload",
        ],
    )
