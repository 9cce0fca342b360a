"""The application as `make serve` runs it, for the tests that need a real
server: gunicorn (two processes of four threads) with DEBUG off, the real
settings (config.settings, not tests.settings), static files collected into a
temporary STATIC_ROOT, and a file-based SQLite database of its own, whatever
DATABASE_URL the suite runs on."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "served-tests-secret-key-abcdefghijklmnopqrstuvwxyz-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp: Path, **extra: str) -> dict:
    # Not DJANGO_ALLOW_ASYNC_UNSAFE either: the browser tests set it for themselves.
    dropped = {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=SECRET,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
        check=True,
    )


# Opens quarter 1 of the demo's district indicator around today (the demo's
# windows are fixed dates).
PREPARE = """
import datetime
from django.utils import timezone
from indicators.models import Indicator, Quarter
ind = Indicator.objects.get(code="5013-0001")
today = timezone.localdate()
Quarter.objects.filter(fiscal_year=ind.fiscal_year, number=1).update(
    opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=5))
"""


@dataclass
class Served:
    url: str
    database: Path
    process: subprocess.Popen

    def client(self) -> "Browserless":
        return Browserless(self.url)


def start(tmp: Path) -> Served:
    env = production_env(tmp)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo", "--quiet-logins")
    manage(env, "shell", "-c", PREPARE)
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--access-logfile", "/dev/null", "config.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp / "gunicorn.log", "w"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("gunicorn did not start:\n" + (tmp / "gunicorn.log").read_text())
        time.sleep(0.3)
    return Served(url, tmp / "db.sqlite3", process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browserless:
    """One user agent with its own cookies; answers (status, body) and never
    follows redirects, so a 302 after a save stays visible."""

    def __init__(self, url: str):
        self.url = url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.url + path}
        try:
            with self.opener.open(urllib.request.Request(self.url + path, body, headers), timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, path: str) -> str:
        status, body = self.request(path)
        assert status == 200, (status, path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def login(self, username: str, password: str) -> int:
        token = self.csrf_token("/accounts/login/")
        status, _ = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        return status
