"""Printing is closed: nothing outside the asset folders is read, nothing is fetched."""

from __future__ import annotations

import pytest

from handouts.engine import examine
from handouts.plan.jobs import plan
from handouts.press.pdf import PrintError, print_pdf
from handouts.press.render import render


@pytest.fixture
def job(project):
    library, findings = examine(project)
    return plan(library, project)[0]


def with_extra(job, project, extra: str) -> str:
    return render(job, project.templates).replace("</body>", extra + "</body>")


@pytest.mark.parametrize("markup", [
    '<img src="{url}/image.png" alt="x">',
    '<link rel="stylesheet" href="{url}/style.css">',
    '<style>@import url("{url}/import.css");</style>',
    '<div style="background: url({url}/bg.png)">x</div>',
    '<link rel="attachment" href="{url}/file.txt">',
])
def test_network_addresses_are_never_fetched(job, project, server, markup):
    url, requests = server
    with pytest.raises(PrintError, match="refused to fetch"):
        print_pdf(job, [with_extra(job, project, markup.format(url=url))], project.assets())
    assert requests == []


@pytest.mark.parametrize("markup", [
    '<img src="file:///etc/hostname" alt="x">',
    '<img src="../../../../../../etc/hostname" alt="x">',
    '<link rel="stylesheet" href="build.py">',
    '<link rel="stylesheet" href="../styles/../../../../etc/hostname">',
    '<img src="../images/../../../etc/hostname" alt="x">',
])
def test_local_files_outside_the_asset_folders_are_refused(job, project, markup):
    with pytest.raises(PrintError, match="refused to fetch"):
        print_pdf(job, [with_extra(job, project, markup)], project.assets())


def test_a_weasyprint_warning_fails_the_job(job, project):
    html = with_extra(job, project, '<img src="../styles/fonts/OFL.txt" alt="not an image">')
    with pytest.raises(PrintError):
        print_pdf(job, [html], project.assets())


def test_the_shipped_styles_print_without_warnings(job, project):
    printed = print_pdf(job, [render(job, project.templates)], project.assets())
    assert printed.pdf.startswith(b"%PDF-") and printed.pages == 1
