"""Printing is closed: nothing outside the asset folders is read, nothing is fetched.

Every test runs twice: with the asset folders (a local build) and with the bundle of their
bytes that a cluster worker prints from.
"""

from __future__ import annotations

import pytest

from handouts.engine import examine
from handouts.plan.jobs import plan
from handouts.press.pdf import PrintError, print_pdf
from handouts.press.render import prepare
from handouts.press.sheets import AssetBundle, AssetFolders, Sheet


@pytest.fixture
def job(project):
    library, findings = examine(project)
    return plan(library, project)[0]


@pytest.fixture(params=["folders", "bundle"])
def assets(request, project):
    return AssetFolders(project.assets()) if request.param == "folders" else AssetBundle.of(project.assets())


def with_extra(job, project, extra: str) -> Sheet:
    html, sheet = prepare(job, project.templates)
    return Sheet((html.replace("</body>", extra + "</body>"),), sheet.lang, sheet.source_date_epoch)


@pytest.mark.parametrize("markup", [
    '<img src="{url}/image.png" alt="x">',
    '<link rel="stylesheet" href="{url}/style.css">',
    '<style>@import url("{url}/import.css");</style>',
    '<div style="background: url({url}/bg.png)">x</div>',
    '<link rel="attachment" href="{url}/file.txt">',
])
def test_network_addresses_are_never_fetched(job, project, assets, server, markup):
    url, requests = server
    with pytest.raises(PrintError, match="refused to fetch"):
        print_pdf(with_extra(job, project, markup.format(url=url)), assets)
    assert requests == []


@pytest.mark.parametrize("markup", [
    '<img src="file:///etc/hostname" alt="x">',
    '<img src="../../../../../../etc/hostname" alt="x">',
    '<link rel="stylesheet" href="build.py">',
    '<link rel="stylesheet" href="../styles/../../../../etc/hostname">',
    '<img src="../images/../../../etc/hostname" alt="x">',
    '<img src="../styles//etc/hostname" alt="x">',
])
def test_local_files_outside_the_asset_folders_are_refused(job, project, assets, markup):
    with pytest.raises(PrintError, match="refused to fetch"):
        print_pdf(with_extra(job, project, markup), assets)


def test_a_weasyprint_warning_fails_the_job(job, project, assets):
    sheet = with_extra(job, project, '<img src="../styles/fonts/OFL.txt" alt="not an image">')
    with pytest.raises(PrintError):
        print_pdf(sheet, assets)


def test_the_shipped_styles_print_without_warnings(job, project, assets):
    printed = print_pdf(prepare(job, project.templates)[1], assets)
    assert printed.pdf.startswith(b"%PDF-") and printed.pages == 1


def test_a_bundle_prints_the_same_bytes_as_the_folders_it_was_made_from(job, project):
    sheet = prepare(job, project.templates)[1]
    bundle = AssetBundle.of(project.assets())
    assert "styles/handout.css" in bundle.files
    assert print_pdf(sheet, bundle).pdf == print_pdf(sheet, AssetFolders(project.assets())).pdf


def test_a_bundle_refuses_bytes_that_do_not_match_their_digest(project):
    bundle = AssetBundle.of(project.assets())
    name, digest = next(iter(bundle.files.items()))
    folder, _, path = name.partition("/")
    assert bundle.read(folder, path) is not None
    tampered = AssetBundle(bundle.files, {**bundle.blobs, digest: b"not the bytes that were named"})
    assert tampered.read(folder, path) is None
    assert bundle.read(folder, "../" + name) is None and bundle.read(folder, "/" + path) is None
