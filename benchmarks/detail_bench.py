"""The seed's detail page against a view that returns the same bytes through
the same middleware, under gunicorn on PostgreSQL (issue 15: the page should
serve at least half the bare view's requests per second).

    .venv/bin/python benchmarks/detail_bench.py [--workers 2] [--clients 4] [--rounds 4] [--seconds 10]

Builds its own database (kpi_bench_detail, dropped and made again) with the
demo data, starts gunicorn as `make serve` does (config/gunicorn.conf.py,
DEBUG off, local-memory cache), signs a manager in and then runs interleaved
rounds: bare view, detail page, bare view, ... each for --seconds with
--clients concurrent clients (threads of this process, one keep-alive-less
HTTP connection per request, as urllib does). Prints requests per second per
round, the medians and their ratio."""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_bench  # noqa: E402

DETAIL = "/indicators/2563/2100-1037/"
BARE = "/__bare__/"


def run_round(agents, path, seconds):
    stop = time.monotonic() + seconds
    counts, errors, latencies = [0] * len(agents), [0] * len(agents), [[] for _ in agents]

    def client(index):
        agent = agents[index]
        while time.monotonic() < stop:
            began = time.perf_counter()
            status, _body = agent.request(path)
            latencies[index].append(time.perf_counter() - began)
            if status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(agents))]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    all_latencies = sorted(x for per in latencies for x in per)
    return sum(counts) / elapsed, sum(errors), serve_bench.percentile(all_latencies, 0.5) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/kpi_bench_detail")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--cache-url", default="locmemcache://bench",
                        help="CACHE_URL for the server; dummycache:// measures the page without its cache")
    args = parser.parse_args()

    server = serve_bench.prepare(args.database, writers=0)
    page_file = Path(tempfile.mkdtemp(prefix="detail_bench_")) / "page.html"
    server.env.update(DJANGO_SETTINGS_MODULE="benchmarks.bare_settings", BARE_PAGE_FILE=str(page_file),
                      WEB_WORKERS=str(args.workers), WEB_THREADS=str(args.threads), WEB_ACCESS_LOG="/dev/null",
                      CACHE_URL=args.cache_url)
    url = server.start()
    try:
        agents = [serve_bench.Agent(url) for _ in range(args.clients)]
        for agent in agents:
            assert agent.login("manager", "demo-manager-2563") == 302
        status, body = agents[0].request(DETAIL)
        assert status == 200 and "2100-1037" in body
        page_file.write_bytes(body.encode())
        for agent in agents:  # warm every worker's cache and the bare page
            for path in (DETAIL, BARE, DETAIL, BARE):
                assert agent.request(path)[0] == 200
        results = {BARE: [], DETAIL: []}
        for number in range(args.rounds):
            for path in (BARE, DETAIL):
                rate, errors, p50 = run_round(agents, path, args.seconds)
                results[path].append(rate)
                print(f"round {number + 1} {path:<28} {rate:7.1f} req/s  p50 {p50:6.1f} ms  errors {errors}")
        bare, detail = statistics.median(results[BARE]), statistics.median(results[DETAIL])
        print(f"median: bare {bare:.1f} req/s, detail {detail:.1f} req/s, ratio {detail / bare:.2f} "
              f"({args.workers} workers x {args.threads} threads, {args.clients} clients, {args.cache_url})")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
