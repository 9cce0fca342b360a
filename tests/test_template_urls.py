"""Every {% url %} in our templates names a route that exists. A wrong name
inside `{% url ... as var %}` fails silently (the evaluator's evidence links
once vanished that way), so the names are checked here, statically."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import get_resolver

# The project's templates/ and every app of ours' own (an app at the top of
# the repository), whichever apps there are.
TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [
    Path(app.path) / "templates" for app in apps.get_app_configs()
    if Path(app.path).parent == Path(settings.BASE_DIR)
]
# The route name when it is a literal string: {% url 'ns:name' ... %}
URL_TAG = re.compile(r"""\{%\s*url\s+(['"])([^'"]+)\1""")


def url_names_in_templates():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")) if directory.exists() else []:
            for match in URL_TAG.finditer(path.read_text(encoding="utf-8")):
                found.append((path.relative_to(settings.BASE_DIR), match.group(2)))
    return found


def route_exists(name):
    resolver = get_resolver()
    *namespaces, view_name = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return view_name in resolver.reverse_dict


def test_the_check_knows_a_missing_route():
    assert route_exists("entry:evidence")
    assert not route_exists("reports:evidence-download")
    assert not route_exists("entry:evidence-download")


def test_every_template_url_names_a_route():
    names = url_names_in_templates()
    assert len(names) > 30  # the scan really reads the templates
    missing = [(str(path), name) for path, name in names if not route_exists(name)]
    assert not missing
