"""The folder tree of handouts/ is the pipeline, and imports run one way through it."""

import ast
from pathlib import Path

from handouts.project import HOME

PACKAGE = HOME / "handouts"
# commands -> engine -> stages -> content -> findings/project; a stage may use an earlier stage.
LAYERS = {"commands": 5, "engine": 4, "publish": 3, "press": 3, "plan": 2, "checks": 2, "content": 1,
          "findings": 0, "project": 0, "memo": 0, "": 0}
LAYERS["server"] = 5  # the front-end `serve` (like MkDocs' livereload/)


def _imports(path: Path) -> list[str]:
    """The handouts modules a file imports, as dotted names under handouts/."""
    here = list(path.relative_to(PACKAGE).with_suffix("").parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level]
            found.append(".".join(base + ([node.module] if node.module else [])))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("handouts."):
            found.append(node.module.removeprefix("handouts."))
    return found


def _layer(module: str) -> int:
    return LAYERS[module.split(".")[0].removesuffix("__init__")]


def test_every_subpackage_says_what_its_stage_takes_and_gives():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert "Takes" in doc and "gives" in doc, f"{init.parent.name}/__init__.py must say what it takes and gives"


def test_package_inits_hold_only_their_docstrings_so_one_stage_never_loads_another():
    for init in PACKAGE.glob("*/__init__.py"):
        body = ast.parse(init.read_text()).body
        assert all(isinstance(n, ast.Expr) for n in body), f"{init} should hold only its docstring"


def test_imports_run_one_way_from_front_ends_to_the_content_model():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        me = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        upward += [f"{me} imports {t}" for t in _imports(path) if _layer(t) > _layer(me)]
    assert upward == []


def test_no_module_outgrows_the_design_limit():
    long = {p.name: n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
