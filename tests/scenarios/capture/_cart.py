"""cart-api: shopping carts and a product-page cache kept in Redis, for the Redis scenarios."""

from __future__ import annotations

import json
import random

from _catalog import PRODUCTS
from _redis import RedisConnection
from _service import Handler


def cart_routes(redis_port: int) -> dict[str, Handler]:
    """Read a cart, add to a cart (hash with a TTL), and a cached product page."""

    def redis() -> RedisConnection:
        return RedisConnection(redis_port, timeout=2)

    def get_cart(path: str) -> object:
        connection = redis()
        try:
            return connection.command("HGETALL", f"cart:{path.rsplit('/', 1)[1]}")
        finally:
            connection.close()

    def add_to_cart(path: str) -> object:
        user, product = path.split("/")[-2:]
        connection = redis()
        try:
            connection.command("HINCRBY", f"cart:{user}", f"product:{product}", 1)
            connection.command("EXPIRE", f"cart:{user}", 1800)
            return {"ok": True}
        finally:
            connection.close()

    def product_page(path: str) -> object:
        product = int(path.rsplit("/", 1)[1])
        connection = redis()
        try:
            cached = connection.command("GET", f"page:product:{product}")
            if isinstance(cached, bytes):
                return json.loads(cached)
            page = {**PRODUCTS[product], "html": "<div>" + "x" * 600 + "</div>"}
            connection.command("SET", f"page:product:{product}", json.dumps(page), "EX", 60)
            return page
        finally:
            connection.close()

    return {"/api/cart/add/": add_to_cart, "/api/cart/": get_cart, "/api/products/": product_page}


def cart_path(chooser: random.Random) -> str:
    """Ordinary storefront traffic: product pages, cart views, add-to-cart."""
    roll = chooser.random()
    user = chooser.randint(1, 3000)
    if roll < 0.5:
        return f"/api/products/{chooser.randint(1, 500)}"
    if roll < 0.75:
        return f"/api/cart/{user}"
    return f"POST /api/cart/add/{user}/{chooser.randint(1, 500)}"
