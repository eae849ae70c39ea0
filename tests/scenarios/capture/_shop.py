"""The shop most PostgreSQL scenarios share: a `shop` database, an `orders-api`, its traffic.

The schema is small but real (keys, foreign keys, a unique e-mail), seeded with
generate_series so ordinary requests read and write real rows.
"""

from __future__ import annotations

import random

import psycopg
from _postgres import PostgresCluster
from _service import ConnectionPool, Handler

APP_USER = "orders_app"
APP_PASSWORD = "s3cret-2026-q3"
DATABASE = "shop"

SCHEMA = """
CREATE TABLE customers (
    id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE products (
    id serial PRIMARY KEY, sku text NOT NULL UNIQUE, title text NOT NULL,
    price_cents integer NOT NULL, stock integer NOT NULL);
CREATE TABLE orders (
    id bigserial PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers(id),
    status text NOT NULL, total_cents integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE order_items (
    order_id bigint NOT NULL REFERENCES orders(id), product_id integer NOT NULL
    REFERENCES products(id), quantity integer NOT NULL);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
INSERT INTO customers (email, name)
    SELECT 'customer' || n || '@example.com', 'Customer ' || n FROM generate_series(1, 2000) n;
INSERT INTO products (sku, title, price_cents, stock)
    SELECT 'SKU-' || lpad(n::text, 5, '0'), 'Product ' || n, 100 + n * 7, 100000
    FROM generate_series(1, 500) n;
INSERT INTO orders (customer_id, status, total_cents)
    SELECT 1 + n % 2000, 'paid', 500 + n % 9000 FROM generate_series(1, 20000) n;
INSERT INTO order_items (order_id, product_id, quantity)
    SELECT n, 1 + n % 500, 1 + n % 3 FROM generate_series(1, 20000) n;
"""


def create_shop_database(cluster: PostgresCluster) -> str:
    """Create the application role and the seeded `shop` database; return the app's URL."""
    cluster.execute(f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{APP_PASSWORD}'")
    cluster.execute(f"CREATE DATABASE {DATABASE} OWNER {APP_USER}")
    url = cluster.url(APP_USER, APP_PASSWORD, DATABASE)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(SCHEMA.encode())
    return url


def orders_api_routes(pool: ConnectionPool) -> dict[str, Handler]:
    """The routes of `orders-api`: read an order, a customer, a product; place an order."""

    def get_order(path: str) -> object:
        order_id = int(path.rsplit("/", 1)[1])
        return pool.query(
            "SELECT o.id, o.status, o.total_cents, c.email FROM orders o "
            "JOIN customers c ON c.id = o.customer_id WHERE o.id = %s",
            (order_id,),
        )

    def get_customer(path: str) -> object:
        customer_id = int(path.rsplit("/", 1)[1])
        return pool.query("SELECT id, email, name FROM customers WHERE id = %s", (customer_id,))

    def get_product(path: str) -> object:
        product_id = int(path.rsplit("/", 1)[1])
        return pool.query(
            "SELECT id, sku, title, price_cents, stock FROM products WHERE id = %s", (product_id,)
        )

    def place_order(path: str) -> object:
        customer_id, product_id = (int(part) for part in path.rsplit("/", 2)[1:])
        connection = pool.get()
        try:
            with connection.transaction():
                order = connection.execute(
                    b"INSERT INTO orders (customer_id, status, total_cents) "
                    b"SELECT %s, 'paid', price_cents FROM products WHERE id = %s RETURNING id",
                    (customer_id, product_id),
                ).fetchone()
                connection.execute(
                    b"INSERT INTO order_items (order_id, product_id, quantity) VALUES (%s, %s, 1)",
                    (order[0] if order else None, product_id),
                )
                connection.execute(
                    b"UPDATE products SET stock = stock - 1 WHERE id = %s", (product_id,)
                )
            return {"order_id": order[0] if order else None}
        finally:
            pool.put(connection)

    return {
        "/api/orders/": get_order,
        "/api/customers/": get_customer,
        "/api/products/": get_product,
        "/api/checkout/": place_order,
    }


def shop_path(chooser: random.Random) -> str:
    """One request of ordinary shop traffic (mostly reads, some checkouts)."""
    roll = chooser.random()
    if roll < 0.4:
        return f"/api/products/{chooser.randint(1, 500)}"
    if roll < 0.7:
        return f"/api/orders/{chooser.randint(1, 20000)}"
    if roll < 0.9:
        return f"/api/customers/{chooser.randint(1, 2000)}"
    return f"POST /api/checkout/{chooser.randint(1, 2000)}/{chooser.randint(1, 500)}"
