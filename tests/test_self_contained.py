"""Everything the project needs to run, test and explain itself is in the
repository: no tracked file names a path outside it.

The rule, applied to every file `git ls-files` lists:
- no path of a developer's machine: /work/, /home/, /root/, /Users/, ~/,
  a Windows drive (C:\\);
- no relative path that climbs out of the repository (`../shared/...` from
  the root), resolved from the directory of the file that names it;
- an absolute path only under a system location a city's machine has or
  its operator chooses, each for a reason (ALLOWED_ROOTS below): /usr/bin/
  (Debian's programs: chromium, env, make), /dev/null and /proc/ (the
  kernel's), /etc/ (system configuration: PostgreSQL's, systemd units and
  certificates in docs/operations.md), /srv/kpi (the install location
  docs/operations.md proposes) and /tmp/ (scratch files the benchmarks
  write and read back, never an input the project ships).
A path that breaks the rule on purpose (a hostile input a test must refuse)
is listed in DELIBERATE with its file and reason. Files that are not UTF-8
text are not read and must be of a kind listed in BINARY (so a new one is
seen); the compiled catalogues are built from the .po files, which are."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()

MACHINE = re.compile(r"/work/|/home/|/root/|/Users/|(?<![\w.~])~/|\b[A-Z]:\\\\")
# A filesystem path from a Unix top-level directory; not a URL path of the
# app (/public/, /media/, /static/), not an HTML closing tag (</option>).
ABSOLUTE = re.compile(
    r"(?:(?<=file://)|(?<=sqlite:///)|(?<![\w<.:/~)}$-]))"
    r"(/(?:bin|boot|dev|etc|home|lib|mnt|opt|proc|root|run|sbin|srv|sys|tmp|usr|var|work|Users)(?:/[^\s\"'`)\]>,;]*)?)"
    r"(?![\w-])")
CLIMB = re.compile(r"(?<![\w.])((?:\.\./)+[\w.-]+(?:/[\w.-]+)*)")
ALLOWED_ROOTS = ("/usr/bin/", "/dev/null", "/proc/", "/etc/", "/srv/kpi", "/tmp/")
DELIBERATE = {
    # A font URL climbing to /etc/passwd and a file:// URL: the PDF renderer must refuse both.
    ("tests/test_pdf_sheet.py", "../../../../etc/passwd"),
}
BINARY = {".mo"}


def tracked_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"not a git checkout ({error}): the tracked files are unknown")
    return [name for name in listed.stdout.decode().split("\0") if name]


def outside(path: str, text: str) -> list[str]:
    """What this file's text names outside the repository."""
    found = [match.group(0) for match in MACHINE.finditer(text)]
    for match in ABSOLUTE.finditer(text):
        if not match.group(1).startswith(ALLOWED_ROOTS):
            found.append(match.group(1))
    base = (ROOT / path).parent
    for match in CLIMB.finditer(text):
        target = (base / match.group(1)).resolve()
        if not target.is_relative_to(ROOT):
            found.append(match.group(1))
    return [name for name in found if (path, name) not in DELIBERATE]


def test_no_tracked_file_names_a_path_outside_the_repository():
    files = tracked_files()
    assert files
    problems, unread = {}, set()
    for path in files:
        if not (ROOT / path).is_file():
            continue  # deleted in the working tree, not yet committed
        content = (ROOT / path).read_bytes()
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            unread.add(Path(path).suffix)
            continue
        if "\0" in text:
            unread.add(Path(path).suffix)
            continue
        if path == "tests/test_self_contained.py":
            continue  # this file spells the patterns it forbids
        named = outside(path, text)
        if named:
            problems[path] = named
    assert problems == {}
    assert unread <= BINARY


@pytest.mark.parametrize(("path", "text", "named"), [
    ("README.md", "see `../shared/DOMAIN.md`", ["../shared/DOMAIN.md"]),
    ("tests/test_x.py", 'SEED_FILE = "/work/shared/seed/indicator-2100-1037.txt"',
     ["/work/", "/work/shared/seed/indicator-2100-1037.txt"]),
    ("docs/x.md", "cp x /opt/kpi/", ["/opt/kpi/"]),
    ("docs/x.md", "DATABASE_URL=sqlite:////var/lib/kpi.sqlite3", ["/var/lib/kpi.sqlite3"]),
    ("docs/x.md", "open ~/notes.txt", ["~/"]),
    # Inside the repository, URL paths, system locations, variables and closing tags are not.
    ("static/css/app.css", 'src: url("../fonts/sarabun/Sarabun-Regular.ttf")', []),
    ("static/css/app.css", 'src: url("../../../fonts/x.ttf")', ["../../../fonts/x.ttf"]),
    ("docs/x.md", '"/public/2563/data.csv" "/media/" </option> /usr/bin/chromium /tmp/bench.json', []),
    ("docs/x.md", "DATABASE_URL=sqlite:////tmp/import_bench.sqlite3 >/dev/null $(VENV)/bin", []),
    ("templates/x.html", "วันที่ ........../........../..", []),
])
def test_the_rule(path, text, named):
    assert outside(path, text) == named
