"""Load and fault checks of the production start (gunicorn + PostgreSQL), on
loopback only. Each mode builds its own database (default kpi_bench_prod,
dropped and made again), starts gunicorn as `make serve` does (the same
config/gunicorn.conf.py, DEBUG off) and prints its figures; docs/operations.md
has the measured ones.

    .venv/bin/python benchmarks/serve_bench.py load            # 50 users, 2 minutes
    .venv/bin/python benchmarks/serve_bench.py load --restart-at 40   # PostgreSQL restarted 40 s in
    .venv/bin/python benchmarks/serve_bench.py two-servers     # two app servers, one database

Virtual users are threads of this process (so they share its CPU with the
servers). Readers (signed in as the demo manager) open the indicator list, the
seed indicator, the quarterly table and the dashboard; writers (one reporter
and one indicator each) open their report form and save a draft with a new
value. Each user waits 0.5-1.5 s between requests. An error is any answer
other than 200, or 302 after a save; a writer's save counts as acknowledged
when it got its 302, and at the end every writer's last acknowledged value
must be in the database.

The restart uses `pg_ctlcluster --skip-systemctl-redirect VERSION main
restart`, which also interrupts anything else using that cluster."""

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"

READ_PATHS = ["/", "/indicators/2563/2100-1037/", "/reports/quarterly/", "/reports/dashboard/"]

# Run by manage.py shell: one agency, reporter and indicator (quarter 1 open
# today) per writer, in the demo's FY 2570.
PREPARE = """
import datetime
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from indicators.models import Agency, FiscalYear, Indicator, Quarter
year = FiscalYear.objects.get(year=2570)
today = timezone.localdate()
Quarter.objects.filter(fiscal_year=year, number=1).update(
    opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=5))
for n in range(WRITERS):
    agency = Agency.objects.create(code=f"B{n:03d}", name=f"หน่วยงานทดสอบภาระ {n}", short_name=f"ทภ.{n}")
    Indicator.objects.create(fiscal_year=year, code=f"B-{n:03d}", name=f"ตัวชี้วัดทดสอบภาระ {n}", owner=agency,
                             unit="ครั้ง", annual_target=Decimal(100), category="ตัวชี้วัดเชิงยุทธศาสตร์",
                             result_chain_level="ตัวชี้วัดระดับผลผลิต (output)", decimal_places=0)
    user = get_user_model().objects.create_user(f"writer{n}", password=f"bench-writer-{n}-2570")
    user.groups.set([Group.objects.get(name="reporter")])
    user.agencies.set([agency])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Agent:
    """One browser: its own cookies, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, url: str):
        self.url = url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect())

    def request(self, path: str, data: dict | None = None, url: str | None = None) -> tuple[int, str]:
        base = url or self.url
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, body, {"Referer": base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (urllib.error.URLError, OSError) as error:
            return 0, str(error)

    def login(self, username: str, password: str) -> int:
        status, body = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        return self.request("/accounts/login/", {"csrfmiddlewaretoken": token, "username": username,
                                                 "password": password})[0]


def form_fields(body: str) -> dict:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    return {"csrfmiddlewaretoken": token, "version": version}


class Server:
    def __init__(self, env: dict, workdir: Path):
        self.env = env
        self.workdir = workdir
        self.processes = []

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def start(self) -> str:
        port = free_port()
        log = open(self.workdir / f"gunicorn-{port}.log", "w")
        self.processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "/dev/null", "config.wsgi"], cwd=ROOT, env=self.env, stdout=log, stderr=log))
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if Agent(url).request("/healthz")[0] == 200:
                return url
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn on {port} did not start; see {log.name}")

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=60)


def prepare(database_url: str, writers: int) -> Server:
    workdir = Path(tempfile.mkdtemp(prefix="serve_bench_"))
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(SECRET_KEY=SECRET, DATABASE_URL=database_url, ALLOWED_HOSTS="127.0.0.1",
               STATIC_ROOT=str(workdir / "static"), MEDIA_ROOT=str(workdir / "media"), LOG_LEVEL="WARNING",
               LOGIN_FAILURE_LIMIT="1000")
    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    server = Server(env, workdir)
    server.manage("migrate", "--no-input")
    server.manage("load_demo", "--quiet-logins")
    server.manage("shell", "-c", PREPARE.replace("WRITERS", str(writers)))
    server.manage("collectstatic", "--no-input", "--verbosity", "0")
    return server


def percentile(values: list, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def run_load(args) -> dict:
    server = prepare(args.database_url, args.writers)
    url = server.start()
    stop_at = time.monotonic() + args.duration
    samples = []  # (kind, start offset s, ms, status, ok)
    lock = threading.Lock()
    acknowledged = {}  # writer -> (value, version) of its last 302
    started = time.monotonic()

    def record(kind, began, status, ok):
        with lock:
            samples.append((kind, began - started, (time.monotonic() - began) * 1000, status, ok))

    def reader(number):
        agent = Agent(url)
        agent.login("manager", "demo-manager-2563")
        rng = random.Random(number)
        while time.monotonic() < stop_at:
            path = rng.choice(READ_PATHS)
            began = time.monotonic()
            status, _ = agent.request(path)
            record("read", began, status, status == 200)
            time.sleep(rng.uniform(0.5, 1.5))

    def writer(number):
        agent = Agent(url)
        agent.login(f"writer{number}", f"bench-writer-{number}-2570")
        form = f"/indicators/2570/B-{number:03d}/quarters/1/report/"
        rng = random.Random(1000 + number)
        value = 0
        while time.monotonic() < stop_at:
            began = time.monotonic()
            status, body = agent.request(form)
            record("form", began, status, status == 200)
            time.sleep(rng.uniform(0.5, 1.5))
            if status != 200:
                continue
            fields = form_fields(body)
            value += 1
            began = time.monotonic()
            status, _ = agent.request(form, {**fields, "value": str(value), "action": "draft",
                                             "narrative": f"รายงานรอบที่ {value} ของผู้บันทึก {number}"})
            record("save", began, status, status == 302)
            if status == 302:
                acknowledged[number] = (value, int(fields["version"]) + 1)
            time.sleep(rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.users - args.writers)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(args.writers)]
    for thread in threads:
        thread.start()

    restart = None
    if args.restart_at:
        time.sleep(args.restart_at)
        version = sorted(os.listdir("/etc/postgresql"))[0]
        began = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True)
        restarted = time.monotonic()
        probe = Agent(url)
        while probe.request("/healthz")[0] != 200:
            time.sleep(0.1)
        restart = {"at_s": round(began - started, 1), "restart_command_s": round(restarted - began, 1),
                   "healthy_again_after_s": round(time.monotonic() - began, 1)}

    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    lost = verify_saves(server, acknowledged)
    server.stop()

    report = {"users": args.users, "writers": args.writers, "duration_s": round(elapsed, 1),
              "gunicorn": {"workers": os.environ.get("WEB_WORKERS", f"{(os.cpu_count() or 1) + 1} (default)"),
                           "threads": os.environ.get("WEB_THREADS", "4 (default)")},
              "requests": len(samples), "throughput_rps": round(len(samples) / elapsed, 1),
              "restart": restart, "acknowledged_saves_lost": lost}
    by_kind = defaultdict(list)
    for kind, _, ms, _, _ in samples:
        by_kind[kind].append(ms)
    by_kind["all"] = [ms for _, _, ms, _, _ in samples]
    report["latency_ms"] = {kind: {"p50": round(percentile(v, 0.5)), "p95": round(percentile(v, 0.95)),
                                   "n": len(v)} for kind, v in by_kind.items()}
    errors = [(offset, status) for _, offset, _, status, ok in samples if not ok]
    report["errors"] = len(errors)
    report["errors_by_status"] = dict(Counter(status for _, status in errors))
    if errors:
        report["errors_between_s"] = [round(min(o for o, _ in errors), 1), round(max(o for o, _ in errors), 1)]
    return report


def verify_saves(server: Server, acknowledged: dict) -> list:
    """Writers whose last acknowledged value is not what the database holds."""
    code = ("import json; from indicators.models import QuarterResult as Q; print(json.dumps({r.indicator.code: "
            "[int(r.value), r.version] for r in Q.objects.filter(indicator__code__startswith='B-', quarter=1)"
            ".select_related('indicator')}))")
    stored = json.loads(server.manage("shell", "-c", code).strip().splitlines()[-1])
    lost = []
    for number, (value, version) in acknowledged.items():
        if stored.get(f"B-{number:03d}") != [value, version]:
            lost.append({"writer": number, "acknowledged": [value, version], "stored": stored.get(f"B-{number:03d}")})
    return lost


def run_two_servers(args) -> dict:
    server = prepare(args.database_url, 1)
    first, second = server.start(), server.start()
    report = {}
    # A session made on one server is valid on the other (sessions live in the database).
    agent = Agent(first)
    assert agent.login("manager", "demo-manager-2563") == 302
    status, body = agent.request("/", url=second)
    report["session_from_first_works_on_second"] = status == 200 and "สมหญิง" in body

    # The race: writers signed in on alternate servers all load version 0 and
    # save at once, half through each server.
    form = "/indicators/2570/B-000/quarters/1/report/"
    racers = []
    for n in range(args.racers):
        racer = Agent(first if n % 2 == 0 else second)
        assert racer.login("writer0", "bench-writer-0-2570") == 302
        racers.append((racer, form_fields(racer.request(form)[1])))
    barrier = threading.Barrier(len(racers))
    answers = [None] * len(racers)

    def save(index):
        racer, fields = racers[index]
        barrier.wait()
        answers[index] = racer.request(form, {**fields, "value": str(100 + index), "action": "draft",
                                              "narrative": f"ผู้แข่งคนที่ {index}"})[0]

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(racers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report["race_answers"] = dict(Counter(answers))
    winners = [i for i, status in enumerate(answers) if status == 302]
    stored = json.loads(server.manage("shell", "-c", (
        "import json; from indicators.models import QuarterResult as Q; r = Q.objects.get(indicator__code='B-000', "
        "quarter=1); print(json.dumps([int(r.value), r.version]))")).strip().splitlines()[-1])
    report["race_winner_servers"] = ["first" if i % 2 == 0 else "second" for i in winners]
    report["stored_value_version"] = stored
    report["exactly_one_winner_and_it_is_stored"] = len(winners) == 1 and stored == [100 + winners[0], 1]
    server.stop()
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["load", "two-servers"])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kpi_bench_prod")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--restart-at", type=int, default=0, help="restart PostgreSQL this many seconds in")
    parser.add_argument("--racers", type=int, default=8)
    args = parser.parse_args()
    report = run_load(args) if args.mode == "load" else run_two_servers(args)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    name = args.mode + ("-restart" if args.restart_at else "")
    (out / f"serve_bench-{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
