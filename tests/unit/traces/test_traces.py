from datetime import UTC, datetime

from faultmaven.traces import error_origins, read_spans

HEADER = "traceID,spanID,parentSpanID,serviceName,operationName,startTime,duration,statusCode"
ROWS = [
    # A product page: frontend -> productcatalog fails (gRPC NotFound), frontend relays it.
    "t1,a,,frontend,HTTP GET /product,1728396378148000,9000,500",
    "t1,b,a,productcatalogservice,GetProduct,1728396378148803,1356,5",
    "t1,c,a,currencyservice,Convert,1728396378149000,300,0",
    # A cart page that works.
    "t2,d,,frontend,HTTP GET /cart,1728396379000000,5000,200",
    "t2,e,d,cartservice,GetCart,1728396379000500,800,0",
    # A checkout: two levels relay a failure that starts in payment.
    "t3,f,,frontend,HTTP POST /checkout,1728396380000000,9000,500",
    "t3,g,f,checkoutservice,PlaceOrder,1728396380000100,8000,13",
    "t3,h,g,paymentservice,Charge,1728396380000200,100,2",
]


def test_a_span_table_is_read_with_its_times_and_failures() -> None:
    spans = read_spans([HEADER, *ROWS])
    assert spans is not None and len(spans) == 8
    catalogue = spans[1]
    assert (catalogue.line, catalogue.service) == (3, "productcatalogservice")
    assert catalogue.failed
    assert catalogue.start == datetime(2024, 10, 8, 14, 6, 18, 148803, tzinfo=UTC)
    assert [span.failed for span in spans[3:5]] == [False, False]  # HTTP 200, gRPC OK


def test_failures_start_where_the_deepest_failed_span_is() -> None:
    origins = error_origins(read_spans([HEADER, *ROWS]) or [])
    assert [(o.service, o.traces, o.spans[0].line) for o in origins] == [
        ("paymentservice", 1, 9),
        ("productcatalogservice", 1, 3),
    ]


def test_text_that_is_no_span_table_is_not_read() -> None:
    assert read_spans(["time,orders_cpu", "1725333000,0.1"]) is None
    assert read_spans([]) is None


def test_times_in_any_epoch_unit_or_iso_and_tab_separated_tables_are_read() -> None:
    header = "trace_id\tspan_id\tparent_span_id\tservice_name\tstart_time\tstatus_code"
    rows = [
        "t\ts1\t\tapi\t1728396378\tERROR",
        "t\ts2\ts1\tdb\t1728396378148\tOK",
        "t\ts3\ts1\tcache\t2024-10-08T14:06:18Z\t503",
    ]
    spans = read_spans([header, *rows]) or []
    moment = datetime(2024, 10, 8, 14, 6, 18, tzinfo=UTC)
    assert spans[0].start == spans[2].start == moment
    assert spans[1].start == datetime(2024, 10, 8, 14, 6, 18, 148000, tzinfo=UTC)
    assert [span.failed for span in spans] == [True, False, True]
    assert [o.service for o in error_origins(spans)] == ["cache"]


def test_a_table_with_microsecond_starts_and_an_http_status_column_is_read() -> None:
    lines = [
        "trace_id,span_id,parent_span_id,service,operation,start_us,duration_us,http_status,tags",
        "t1,a,,front-end,POST /orders,1737543601291907,74787,500,",
        't1,b,a,shipping,POST /shipping,1737543601292407,8123,500,"error=true;exception=NFE"',
    ]
    spans = read_spans(lines)
    assert spans is not None
    assert [(span.service, span.failed) for span in spans] == [
        ("front-end", True),
        ("shipping", True),
    ]
    assert spans[0].start == datetime.fromtimestamp(1737543601.291907, UTC)
    assert [origin.service for origin in error_origins(spans)] == ["shipping"]
