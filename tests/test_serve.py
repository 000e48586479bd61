"""`serve` over plain HTTP: what it serves, what it refuses, and where it listens."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
from urllib.parse import urlsplit

import pytest

from conftest import write_library
from live_server import listening_address, running, serve_command, wait_for


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for the requests below (they change nothing it serves), with a built output folder."""
    root = tmp_path_factory.mktemp("served")
    content = write_library(root)
    (root / "secret.txt").write_text("not to be served\n")
    with running(content, root / "dist") as (address, _process):
        wait_for(lambda: (root / "dist" / "manifest.json").exists(), "the first build")
        yield address, root


def get(address: str, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written: no client normalizes dots or encodings away."""
    where = urlsplit(address)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_preview_is_the_html_that_is_printed(served):
    address, root = served
    status, body = get(address, "/pages/en/test-medicine-overview.html")
    assert status == 200
    assert body == (root / "dist" / "en" / "test-medicine-overview.html").read_bytes()


def test_the_output_folder_is_served(served):
    address, root = served
    status, body = get(address, "/dist/en/test-medicine-risks.pdf")
    assert (status, body) == (200, (root / "dist" / "en" / "test-medicine-risks.pdf").read_bytes())


@pytest.mark.parametrize("path", ["/dist/../secret.txt", "/dist/en/../../secret.txt", "/pages/styles/../../secret.txt",
                                  "/pages/../secret.txt", "/dist/..%2fsecret.txt"])
def test_dot_dot_leads_nowhere(served, path):
    status, body = get(served[0], path)
    assert status == 404 and b"not to be served" not in body


@pytest.mark.parametrize("path", ["/dist/%2e%2e/secret.txt", "/dist/%2E%2E%2Fsecret.txt", "/pages/styles/%2e%2e/%2e%2e/secret.txt",
                                  "/dist/en/%252e%252e/%252e%252e/secret.txt"])
def test_encoded_dot_dot_leads_nowhere(served, path):
    status, body = get(served[0], path)
    assert status == 404 and b"not to be served" not in body


def test_absolute_paths_lead_nowhere(served):
    address, root = served
    for path in [f"/dist/{root}/secret.txt", f"/dist/%2F{str(root).lstrip('/')}/secret.txt", "/dist//etc/passwd",
                 "/pages/styles//etc/passwd"]:
        status, body = get(address, path)
        assert status == 404 and b"not to be served" not in body and b"root:" not in body, path


def test_a_symlink_out_of_a_served_folder_leads_nowhere(served):
    address, root = served
    (root / "dist" / "en" / "leak.pdf").symlink_to(root / "secret.txt")
    images = root / "content" / "images"
    images.mkdir(exist_ok=True)
    (images / "leak.png").symlink_to(root / "secret.txt")
    for path in ["/dist/en/leak.pdf", "/pdf/en/leak.pdf", "/pages/images/leak.png"]:
        assert get(address, path)[0] == 404, path


def test_folders_are_never_listed(served):
    address, _ = served
    for path in ["/dist/", "/dist/en", "/dist/en/", "/pages/styles", "/pages/styles/fonts/", "/pages/", "/ui/"]:
        status, body = get(address, path)
        assert status == 404 and b"test-medicine" not in body and b".ttf" not in body, path


def test_hidden_files_of_the_output_folder_are_not_served(served):
    address, root = served
    assert (root / "dist" / ".build.lock").exists()
    assert get(address, "/dist/.build.lock")[0] == 404


def test_it_listens_on_loopback_only_by_default(served):
    port = urlsplit(served[0]).port
    assert listening_address(port) == "0100007F"  # 127.0.0.1, as the kernel writes it


def test_a_port_in_use_is_one_line_and_exit_code_2(tmp_path):
    content = write_library(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(serve_command(content, tmp_path / "dist", "--port", str(port)), cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and str(port) in result.stderr
    assert not (tmp_path / "dist").exists()  # refused before anything was built


def test_ctrl_c_stops_it_cleanly(tmp_path):
    content = write_library(tmp_path)
    with running(content, tmp_path / "dist") as (_address, process):
        pass
    assert process.returncode == 0
    assert "Traceback" not in process.said.text()


def test_each_save_is_reported_in_the_terminal_it_runs_in(tmp_path):
    content = write_library(tmp_path)
    with running(content, tmp_path / "dist") as (_address, process):
        wait_for(lambda: re.search(r"^\[\d\d:\d\d:\d\d\] Printed \d+", process.said.text(), re.M), "the first build")
        block = content / "blocks" / "how-given.yaml"
        block.write_text(block.read_text().replace("sources: [label]", "sources: [no-such-source]"))
        finding = wait_for(lambda: re.search(r"^.*how-given\.yaml:\d+:\d+: error: no source 'no-such-source'.*$",
                                             process.said.text(), re.M), "the invalid save")
        block.write_text(block.read_text().replace("[no-such-source]", "[label]"))
        wait_for(lambda: process.said.text().count("] Printed ") >= 2, "the fixed save")
    assert "Traceback" not in process.said.text() and "\n" not in finding.group(0)


def test_only_get_is_answered(served):
    where = urlsplit(served[0])
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.request("POST", "/dist/manifest.json", body=b"{}")
    assert connection.getresponse().status == 405
    connection.close()


def test_a_page_elsewhere_cannot_reach_it_by_another_name(served):
    """DNS rebinding: a site whose name now points at 127.0.0.1 sends its own name as Host."""
    where = urlsplit(served[0])
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.request("GET", "/dist/manifest.json", headers={"Host": f"attacker.example:{where.port}"})
    response = connection.getresponse()
    assert response.status == 400 and b"test-medicine" not in response.read()
    connection.close()


def test_a_handouts_page_may_run_no_script(served):
    where = urlsplit(served[0])
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.request("GET", "/pages/en/test-medicine-overview.html")
    policy = connection.getresponse().getheader("Content-Security-Policy")
    connection.close()
    assert "script-src 'none'" in policy and "default-src 'self'" in policy


def test_the_index_shows_headroom_when_the_manifest_has_it(served):
    address, root = served
    manifest = root / "dist" / "manifest.json"
    body = json.loads(manifest.read_text())
    for entry in body["handouts"]:
        entry["headroom"] = 0.25 if entry["pdf"] == "en/test-medicine-risks.pdf" else None
    manifest.write_text(json.dumps(body))
    status, page = get(address, "/")
    row = re.search(rb'<tr>\s*<th scope="row"><a href="/preview/en/test-medicine-risks.html">.*?</tr>', page, re.S)
    assert status == 200 and row and b">25%<" in row.group(0)


def test_the_infobutton_responder_is_served_beside_the_preview(served):
    status, body = get(served[0], "/infobutton?mainSearchCriteria.v.c=238083")
    assert status == 400 and b"mainSearchCriteria.v.cs is missing" in body
