"""Production keeps rate limits and short-lived page data in Redis (POLKU_REDIS_URL): the client library
must be installed with Polku, not found missing at the first login."""

import pytest
from django.core.cache.backends.redis import RedisCache


def test_the_redis_cache_backend_stores_and_reads_a_value():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    try:
        cache.set("polku-test-key", {"n": 1}, 5)
    except (ConnectionError, OSError) as error:  # the library is there, only the server is not
        pytest.skip(f"no Redis server on 127.0.0.1:6379 ({error.__class__.__name__})")
    assert cache.get("polku-test-key") == {"n": 1}
    cache.delete("polku-test-key")
