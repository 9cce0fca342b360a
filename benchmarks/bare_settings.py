"""Settings for benchmarks/detail_bench.py: the application's own, plus one
route (/__bare__/) that answers stored bytes through the same middleware."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_urls"
