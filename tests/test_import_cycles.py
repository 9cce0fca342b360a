"""No import cycles between first-party modules.

Every import counts, at any depth: one inside a function (a lazy import) still
ties the two modules together, it only hides the tie from the interpreter. The
test reads the source with `ast` (nothing is imported), resolves relative
imports and `from package import module` to module names, builds the module
graph and fails listing each strongly connected component of more than one
module."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "web", "indicators", "jobs", "notifications", "reports", "yearsetup", "evaluation", "public",
        "api", "demo"]
SKIPPED_DIRS = {"migrations", "tests", "__pycache__"}


def find_modules(root, packages):
    """{module name: path} for every .py under the given top-level packages
    that exist in root, migrations and tests left out."""
    modules = {}
    for package in packages:
        base = root / package
        if not (base / "__init__.py").exists():
            continue
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if SKIPPED_DIRS.intersection(parts[:-1]):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _known(name, modules):
    """The longest prefix of a dotted name that is a first-party module, or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imported_modules(module, path, modules):
    """The first-party modules that `module` imports, anywhere in its source."""
    is_package = path.name == "__init__.py"
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known(alias.name, modules)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package_parts[:len(package_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                # `from package import module` ties to the module; `from module import name` to the module.
                target = _known(f"{base}.{alias.name}", modules) if alias.name != "*" else None
                target = target or _known(base, modules)
                if target:
                    found.add(target)
    found.discard(module)
    return found


def import_graph(modules):
    return {module: imported_modules(module, path, modules) for module, path in modules.items()}


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's
    algorithm, iterative), each sorted, the list sorted."""
    index, lowlink, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = lowlink[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = lowlink[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    lowlink[node] = min(lowlink[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def describe(components, graph):
    lines = []
    for component in components:
        lines.append("cycle: " + ", ".join(component))
        members = set(component)
        for module in component:
            for target in sorted(graph[module] & members):
                lines.append(f"    {module} -> {target}")
    return "\n".join(lines)


def test_no_import_cycles_between_first_party_modules():
    modules = find_modules(ROOT, APPS)
    assert "indicators.models" in modules and "reports.views" in modules  # the walk found the code
    graph = import_graph(modules)
    found = cycles(graph)
    assert not found, "import cycles (each import counts, lazy ones too):\n" + describe(found, graph)


def test_the_detector_finds_a_cycle(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "alpha.py").write_text("from .sub import beta\n")
    # The lazy import inside a function counts.
    (package / "sub" / "beta.py").write_text("def f():\n    from pkg.alpha import x\n    return x\n")
    (package / "gamma.py").write_text("from pkg import alpha\nfrom . import delta\n")
    (package / "delta.py").write_text("import os\n")
    (package / "tests").mkdir()
    (package / "tests" / "__init__.py").write_text("")
    (package / "tests" / "test_x.py").write_text("from pkg import gamma\nfrom pkg import delta\n")
    (package / "migrations").mkdir()
    (package / "migrations" / "0001.py").write_text("import pkg.delta\n")

    modules = find_modules(tmp_path, ["pkg", "absent"])
    assert set(modules) == {"pkg", "pkg.sub", "pkg.alpha", "pkg.sub.beta", "pkg.gamma", "pkg.delta"}
    graph = import_graph(modules)
    assert graph["pkg.alpha"] == {"pkg.sub.beta"}
    assert graph["pkg.sub.beta"] == {"pkg.alpha"}
    assert graph["pkg.gamma"] == {"pkg.alpha", "pkg.delta"}
    found = cycles(graph)
    assert found == [["pkg.alpha", "pkg.sub.beta"]]
    assert "pkg.sub.beta -> pkg.alpha" in describe(found, graph)

    (package / "delta.py").write_text("from .gamma import y\n")
    assert cycles(import_graph(find_modules(tmp_path, ["pkg"]))) == [
        ["pkg.alpha", "pkg.sub.beta"], ["pkg.delta", "pkg.gamma"]]
