"""Visual regression: each tier's first page, as pixels, against a committed reference.

The pages come from the small test library (not the shipped content, which
editors change), so what this guards is the templates and styles. After an
intended change, look at the new pages, then refresh the references:

    REFRESH_VISUAL=1 .venv/bin/python -m pytest tests/test_visual.py
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops

from handouts import engine
from handouts.engine import BuildOptions

REFERENCES = os.path.join(os.path.dirname(__file__), "visual")
DPI = 40
# Share of pixels that may differ (antialiasing between poppler builds), and by how much.
MAX_CHANGED_SHARE = 0.004
PIXEL_TOLERANCE = 48


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from conftest import CHART, PICTOGRAMS, SCHEDULE, write_library
    from handouts.project import Project

    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: install poppler-utils (see .ci/apt-packages)")
    root = tmp_path_factory.mktemp("visual")
    content = write_library(root)
    # The pictures drawn from data (a risk chart, a schedule, pictograms) on the first pages too.
    for block_id, text in (("how-common", CHART), ("course", SCHEDULE), ("after-care", PICTOGRAMS)):
        (content / "blocks" / f"{block_id}.yaml").write_text(text)
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("expectations: [how-given, checklist, call-us]",
                                               "expectations: [how-given, course, after-care, checklist, call-us]")
                     .replace("risks: [what-it-is, get-help]", "risks: [what-it-is, how-common, get-help]"))
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("variants: [standard]", "variants: [standard, large]")
                    + "web_address: https://handouts.clinic.example\n")
    project = Project(content=content, out=root / "dist")
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok, report.findings
    return project.out / "en"


@pytest.mark.parametrize("name", [f"test-medicine-{tier}{variant}" for tier in ("overview", "expectations", "risks")
                                  for variant in ("", "-large")])
def test_first_page_looks_like_its_reference(pages, name, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                    str(pages / f"{name}.pdf"), str(tmp_path / name)], check=True)
    page = Image.open(tmp_path / f"{name}.png").convert("L")
    reference_path = os.path.join(REFERENCES, f"{name}.png")
    if os.environ.get("REFRESH_VISUAL"):
        page.save(reference_path, optimize=True)
    reference = Image.open(reference_path).convert("L")
    assert page.size == reference.size, "the page size changed"
    difference = ImageChops.difference(page, reference).point(lambda v: 255 if v > PIXEL_TOLERANCE else 0)
    changed = difference.histogram()[255] / (page.width * page.height)
    if changed > MAX_CHANGED_SHARE:
        difference.save(tmp_path / f"{name}-difference.png")
        pytest.fail(f"{name}: {changed:.2%} of the page changed (see {tmp_path}/{name}-difference.png); "
                    "if intended, refresh the references (tests/test_visual.py)")
