"""The README starts a newcomer in five minutes and every manual is one link
away from it.

- README.md stays within MAX_README_LINES lines: a feature's manual goes to
  docs/, one file per audience (AUDIENCES), not into the README.
- Every docs/*.md file is linked from README.md itself (one link away).
- Every relative link in README.md and docs/*.md points at a file or
  directory that exists in the repository, and a link to a heading
  (`file.md#heading`, `#heading`) at a heading that exists, slugged as
  GitHub slugs it. Links with a scheme (https:, mailto:) are not followed.
"""

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_README_LINES = 200
AUDIENCES = ("reporters", "evaluators", "administrators", "operations", "developers")

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+).*?\1")
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code spans removed."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(CODE_SPAN.sub("", line))
    return lines


def links(path: Path) -> list[str]:
    return [match.group(1) for line in prose_lines(path.read_text(encoding="utf-8"))
            for match in LINK.finditer(line)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, spaces to hyphens, letters,
    marks, digits, hyphens and underscores kept, everything else dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    kept = []
    for char in text:
        if char == " ":
            kept.append("-")
        elif char in "-_" or unicodedata.category(char)[0] in "LMN":
            kept.append(char)
    return "".join(kept)


def anchors(path: Path) -> set[str]:
    found, seen = set(), {}
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def test_the_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, (
        f"README.md has {len(lines)} lines (at most {MAX_README_LINES}): move the manual to docs/")


def test_every_audience_has_its_manual():
    missing = [name for name in AUDIENCES if not (ROOT / "docs" / f"{name}.md").is_file()]
    assert missing == []


def test_every_manual_is_linked_from_the_readme():
    linked = set()
    for target in links(ROOT / "README.md"):
        if not SCHEME.match(target):
            linked.add((ROOT / target.split("#", 1)[0]).resolve())
    unlinked = [path.name for path in sorted((ROOT / "docs").glob("*.md")) if path.resolve() not in linked]
    assert unlinked == [], "docs/ files not linked from README.md"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_point_at_what_exists(path):
    broken = []
    for target in links(path):
        if SCHEME.match(target):
            continue
        name, _, anchor = target.partition("#")
        destination = (path.parent / name).resolve() if name else path
        if not destination.is_relative_to(ROOT) or not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no such heading")
    assert broken == []


@pytest.mark.parametrize(("heading", "anchor"), [
    ("Measured figures: scorecards and ranking", "measured-figures-scorecards-and-ranking"),
    ("Measured figures: 25,000 indicators in one year (issue 17)",
     "measured-figures-25000-indicators-in-one-year-issue-17"),
    ("Measured: load and faults (benchmarks/serve_bench.py)", "measured-load-and-faults-benchmarksserve_benchpy"),
    ("Background jobs: งานเบื้องหลังของฉัน", "background-jobs-งานเบื้องหลังของฉัน"),
    ("The `jobs` app", "the-jobs-app"),
])
def test_slug(heading, anchor):
    assert slug(heading) == anchor


def test_links_skip_code():
    text = "see [a](a.md) and `[b](b.md)`\n```\n[c](c.md)\n```\n[d](d.md#x \"title\")\n"
    lines = prose_lines(text)
    assert [match.group(1) for line in lines for match in LINK.finditer(line)] == ["a.md", "d.md#x"]
