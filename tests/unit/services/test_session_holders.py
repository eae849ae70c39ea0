"""A database account is its service's when the service's pool or URL is configured with it."""

from faultmaven.services.session_holders import configures_account

HIKARI = (
    "HikariPool-1 - configuration: jdbcUrl=jdbc:mysql://orders-mysql-01:3306/shop"
    " username=fin_exp maximumPoolSize=280"
)


def test_pool_settings_and_urls_configure_the_account() -> None:
    assert configures_account(HIKARI, "fin_exp")
    assert configures_account('{"db": {"user": "fin_exp", "host": "db-1"}}', "fin_exp")
    assert configures_account("connecting to postgres://fin_exp:***@db-1:5432/ledger", "fin_exp")
    assert configures_account("DB_USER=fin_exp", "fin_exp")


def test_other_accounts_and_a_servers_report_of_its_client_do_not() -> None:
    assert not configures_account(HIKARI, "fin")
    assert not configures_account(HIKARI.replace("fin_exp", "fin_exp2"), "fin_exp")
    server = "Aborted connection 7428597 to db: 'shop' user: 'fin_exp' host: '10.44.4.63'"
    assert not configures_account(server, "fin_exp")
    authorized = "connection authorized: user=fin_exp database=shop"
    assert not configures_account(authorized, "fin_exp")
