"""Books made by print jobs with two task workers, under gunicorn on
PostgreSQL (issue 10): a book of 100 seed-like sheets (about 500 pages)
from an empty sheet cache, again unchanged, and again after one indicator
changed; each worker's peak memory; the detail page's p95 idle and while
the books are made, and the slowest web request of the run.

    .venv/bin/python benchmarks/jobs_bench.py [--sheets 100] [--workers 2] [--nice 10]

Builds its own database (kpi_bench_jobs, dropped and made again) with the
demo data and copies of the seed indicator (benchmarks/pdf_benchmark.py's
scale_up), starts gunicorn as `make serve` does (2 processes of 4 threads)
and --workers `manage.py db_worker` processes (at `nice` --nice, as
docs/operations.md advises), signs a manager in and asks for the book of
the seed's strategy dimension (every indicator of FY 2563) through the book
form, then polls the job's status every 0.25 s as the job page does, and
downloads the PDF. "End to end" runs from the form's POST to the last byte
of the download. A reader thread meanwhile loads the seed's detail page, 5 times a
second by default (--reader-rate; 0 sends them back to back, which keeps
one of the two cores busy with the reader and gunicorn alone)."""

import argparse
import io
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_bench  # noqa: E402

DETAIL = "/indicators/2563/2100-1037/"
DIMENSION = "5"  # the seed's strategy dimension: every copy shares it

SCALE = """
import sys
sys.path.insert(0, "benchmarks")
import pdf_benchmark
pdf_benchmark.scale_up(SHEETS)
"""
CHANGE = """
from reports.models import Narrative
n = Narrative.objects.filter(indicator__code__contains="-9").order_by("pk").first()
n.text = n.text + " (แก้ไขแล้ว)"
n.save()
"""


class Timed(serve_bench.Agent):
    """An agent that keeps every request's duration and the last redirect."""

    def __init__(self, url, log):
        super().__init__(url)
        self.log = log
        self.last_location = None

    def request(self, path, data=None, url=None):
        base = url or self.url
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, body, {"Referer": base + path})
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                result = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.last_location = error.headers.get("Location")
            result = error.code, error.read().decode()
        self.log.append((path, time.perf_counter() - start))
        return result

    def raw(self, path):
        start = time.perf_counter()
        with self.opener.open(self.url + path, timeout=120) as response:
            body = response.read()
        self.log.append((path, time.perf_counter() - start))
        return body


def make_book(agent):
    import re

    import pypdf

    start = time.perf_counter()
    status, body = agent.request("/reports/book/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, _ = agent.request("/reports/book/jobs/", {"csrfmiddlewaretoken": token, "year": "2563",
                                                      "dimension": DIMENSION})
    assert status == 302, status
    job = agent.last_location
    answered = time.perf_counter() - start
    while True:
        status, body = agent.request(f"{job}status.json")
        if '"status": "done"' in body:
            break
        assert '"status": "failed"' not in body, body
        time.sleep(0.25)
    pdf = agent.raw(f"{job}download/")
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return time.perf_counter() - start, answered, pages, len(pdf)


class Reader(threading.Thread):
    """Loads the detail page, keeping (phase, seconds): `rate` requests a
    second (a reader among the city's users), or back to back with rate 0
    (a client that keeps one web process busy on its own)."""

    def __init__(self, url, rate):
        super().__init__(daemon=True)
        self.log, self.phase, self.running = [], "idle", True
        self.agent = Timed(url, [])
        self.pause = 1 / rate if rate else 0

    def run(self):
        while self.running:
            start = time.perf_counter()
            status, _ = self.agent.request(DETAIL)
            assert status == 200, status
            took = time.perf_counter() - start
            self.log.append((self.phase, took))
            time.sleep(max(0, self.pause - took))


def peak_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    import subprocess  # noqa: S404

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/kpi_bench_jobs")
    parser.add_argument("--sheets", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--nice", type=int, default=10, help="niceness of the task workers (0: none)")
    parser.add_argument("--idle-seconds", type=float, default=15)
    parser.add_argument("--reader-rate", type=float, default=5,
                        help="detail pages a second while books are made (0: back to back)")
    parser.add_argument("--web-max-requests", help="WEB_MAX_REQUESTS for gunicorn (default: its configured 1000)")
    args = parser.parse_args()

    server = serve_bench.prepare(args.database, writers=0)
    server.manage("shell", "-c", SCALE.replace("SHEETS", str(args.sheets)))
    server.env.update(WEB_WORKERS="2", WEB_THREADS="4", WEB_ACCESS_LOG="/dev/null")
    if args.web_max_requests is not None:
        server.env["WEB_MAX_REQUESTS"] = args.web_max_requests
    url = server.start()
    workers = [
        subprocess.Popen(
            (["nice", "-n", str(args.nice)] if args.nice else [])
            + [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
            cwd=serve_bench.ROOT, env=server.env, stdout=subprocess.DEVNULL,
            stderr=open(server.workdir / f"worker-{n}.log", "w"),
        )
        for n in range(args.workers)
    ]
    try:
        web_log = []
        agent = Timed(url, web_log)

        assert agent.login("manager", "demo-manager-2563") == 302
        reader = Reader(url, args.reader_rate)
        assert reader.agent.login("manager", "demo-manager-2563") == 302
        reader.start()
        time.sleep(args.idle_seconds)
        # The sign-ins (password hashing, about 0.5 s each) come before the
        # books; the aim is about requests made while books are made.
        signing_in = list(web_log)
        web_log.clear()

        results = {}
        for phase in ("cold", "unchanged", "one changed"):
            if phase == "one changed":
                server.manage("shell", "-c", CHANGE)
            reader.phase = phase
            results[phase] = make_book(agent)
            print(f"{phase:<12} end to end {results[phase][0]:6.1f} s  (job page after {results[phase][1] * 1000:.0f} ms)"
                  f"  {results[phase][2]} pages, {results[phase][3] / 1e6:.1f} MB", flush=True)
        reader.phase = "after"
        reader.running = False
        reader.join()

        print()
        for pid in (w.pid for w in workers):
            print(f"worker {pid}: peak memory {peak_mb(pid):.0f} MB")
        for phase in ("idle", "cold", "unchanged", "one changed"):
            times = [s for p, s in reader.log if p == phase]
            print(f"detail page {phase:<12} n={len(times):4d}  p50 {serve_bench.percentile(times, 0.5) * 1000:5.0f} ms"
                  f"  p95 {serve_bench.percentile(times, 0.95) * 1000:5.0f} ms  max {max(times) * 1000:5.0f} ms")
        during = web_log + [(DETAIL, s) for p, s in reader.log if p not in ("idle", "after")]
        slowest = max(during, key=lambda item: item[1])
        print(f"web requests while books were made: {len(during)}, slowest {slowest[1] * 1000:.0f} ms ({slowest[0]})")
        print("sign-in before: " + ", ".join(f"{s * 1000:.0f} ms" for _, s in signing_in))
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=60)
        server.stop()


if __name__ == "__main__":
    main()
