"""Building the report from the web: who may start a build, the progress page, one build at a
time, downloads (and nothing but the build's own files)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from lxml import html as lxml_html

from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.domain.workflow import Role
from rbm.report.build.report import build_report
from rbm.web.jobs import Format, Jobs, Progress, Step
from tests.web.conftest import Client

BUILDERS = (Role.ADMINISTRATOR, Role.PLANNER)
SITE = {
    "tables.json": '{"tables": []}',
    "en/index.html": "<!DOCTYPE html><title>x</title><a href='report.css'>css</a>",
    "en/report.css": "body {}",
}


def wait(client: Client, job_id: str, seconds: float = 60) -> dict[str, Any]:
    """The job once it is done or failed (polled through the API, bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/builds/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"build {job_id} still running after {seconds} s")


class Fake:
    """A runner writing SITE (and a file it does not report) once the gate opens."""

    def __init__(self, opened: bool = True) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        if opened:
            self.gate.set()

    def __call__(
        self,
        dataset: Dataset,
        folder: Path,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        progress: Progress,
    ) -> list[Path]:
        progress(Step(0, 2, "web.build.step.model"))
        self.started.set()
        assert self.gate.wait(30)
        progress(Step(1, 2, "web.build.step.write", {"format": "html", "lang": "en"}))
        written = []
        for name, content in SITE.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            written.append(path)
        (folder / "unlisted.txt").write_text("not a build file", encoding="utf-8")
        return written


@pytest.fixture
def fake(app: FastAPI) -> Fake:
    runner = Fake()
    app.state.rbm.jobs = Jobs(runner=runner)
    return runner


@pytest.mark.parametrize("role", list(Role))
def test_administrators_and_planners_build_everyone_follows(
    client_for: Callable[[Role | None], Client], fake: Fake, role: Role
) -> None:
    client = client_for(role)
    started = client.send("POST", "/api/builds", {"formats": ["json"], "langs": ["en"]})
    assert started.status_code == (202 if role in BUILDERS else 403)
    page = client.get("/build")
    assert page.status_code == 200
    form = lxml_html.fromstring(page.text).xpath("//form[@action='/build']")
    assert bool(form) == (role in BUILDERS)
    if role not in BUILDERS:
        assert client.form("/build", {"formats": "json", "langs": "en"}).status_code == 403
        return
    job = wait(client, started.json()["id"])
    assert started.headers["location"] == f"/api/builds/{job['id']}"
    viewer = client_for(Role.VIEWER)
    assert viewer.get(f"/build/{job['id']}").status_code == 200
    assert (
        viewer.get(f"/api/builds/{job['id']}").json()["user"]
        == client.get("/api/me").json()["name"]
    )
    assert viewer.get(f"/build/{job['id']}/files/tables.json").status_code == 200


def test_a_json_build_from_the_api_gives_the_reports_tables(
    client_for: Callable[[Role | None], Client], wipo: Dataset
) -> None:
    client = client_for(Role.PLANNER)
    started = client.send("POST", "/api/builds", {"formats": ["json"], "langs": ["en"]})
    assert started.status_code == 202
    assert started.json()["state"] in ("queued", "running")
    job = wait(client, started.json()["id"])
    assert (job["state"], job["error"]) == ("done", None)
    assert (job["done"], job["total"]) == (2, 2)
    assert [f["name"] for f in job["files"]] == ["tables.json"]
    download = client.get(job["files"][0]["href"])
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert int(download.headers["content-length"]) == job["files"][0]["size"]
    tables = json.loads(download.content)["tables"]
    assert [t["id"] for t in tables] == [t.id for t in build_report(wipo).tables()]
    listed = client.get("/api/builds").json()
    assert [j["id"] for j in listed["jobs"]] == [job["id"]] and listed["running"] is None
    twin = client.get(f"/api/builds/{job['id']}/files/tables.json")
    assert twin.content == download.content


def test_the_form_starts_a_build_and_redirects_to_its_page(
    client_for: Callable[[Role | None], Client], fake: Fake
) -> None:
    fake.gate.clear()
    client = client_for(Role.ADMINISTRATOR)
    data = {"formats": ["json", "html"], "langs": ["en"], "csrf": client.csrf}
    response = client.http.post("/build", data=data)
    assert response.status_code == 303
    location = response.headers["location"]
    assert fake.started.wait(10)
    running = client.get(location, headers={"accept-language": "en"})
    root = lxml_html.fromstring(running.text)
    assert root.xpath("//p[@role='status']")[0].text_content() == (
        "Step 1 of 2: assembling the report's tables and charts"
    )
    bar = root.xpath("//progress")[0]
    assert root.xpath(f"//label[@for='{bar.get('id')}']")
    script = root.xpath("//script")[0].text
    assert f"/api/builds/{location.rsplit('/', 1)[1]}" in script
    assert root.xpath("//a[@id='job-refresh']/@href") == [location]
    assert not root.xpath("//meta[@http-equiv]")
    fake.gate.set()
    job = wait(client, location.rsplit("/", 1)[1])
    assert job["formats"] == ["html", "json"] and job["langs"] == ["en"]
    done = lxml_html.fromstring(client.get(location, headers={"accept-language": "en"}).text)
    assert not done.xpath("//script") and not done.xpath("//progress")
    links = done.xpath("//table//a/@href")
    assert links == [f"{location}/files/{name}" for name in SITE]
    assert done.xpath("//main//ul/li/a/@href") == [f"{location}/files/en/index.html"]
    listing = lxml_html.fromstring(client.get("/build").text)
    assert listing.xpath("//tbody/tr/th/a/@href") == [location]


def test_one_build_at_a_time(client_for: Callable[[Role | None], Client], fake: Fake) -> None:
    fake.gate.clear()
    client = client_for(Role.PLANNER)
    first = client.send("POST", "/api/builds", {"formats": ["json"]}).json()
    second = client.send("POST", "/api/builds", {"formats": ["xlsx"]})
    assert second.status_code == 409
    assert second.json()["error"]["details"] == {"job": first["id"]}
    other = client_for(Role.ADMINISTRATOR)
    form = other.http.post("/build", data={"formats": "pdf", "langs": "zh", "csrf": other.csrf})
    assert form.status_code == 409
    root = lxml_html.fromstring(form.text)
    assert "pia" in root.xpath("//p[@role='alert']")[0].text_content()
    assert root.xpath("//p[@role='status']/a/@href") == [f"/build/{first['id']}"]
    assert client.get("/api/builds").json()["running"] == first["id"]
    fake.gate.set()
    wait(client, first["id"])
    assert client.send("POST", "/api/builds", {"formats": ["xlsx"]}).status_code == 202


@pytest.mark.parametrize(
    "body",
    [
        {"formats": ["doc"]},
        {"formats": []},
        {"langs": ["fr"]},
        {"formats": ["json"], "extra": 1},
        {"formats": "json"},
    ],
)
def test_the_api_refuses_what_it_cannot_build(
    client_for: Callable[[Role | None], Client], fake: Fake, body: dict[str, Any]
) -> None:
    response = client_for(Role.PLANNER).send("POST", "/api/builds", body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_the_form_asks_for_a_format_and_a_language(
    client_for: Callable[[Role | None], Client], fake: Fake
) -> None:
    client = client_for(Role.PLANNER)
    for data in ({"langs": "en"}, {"formats": "json"}, {"formats": "doc", "langs": "en"}):
        response = client.http.post("/build", data={**data, "csrf": client.csrf})
        assert response.status_code == 422
        assert lxml_html.fromstring(response.text).xpath("//p[@role='alert']")
    assert client.get("/api/builds").json()["jobs"] == []


def test_downloads_are_only_the_builds_own_files(
    client_for: Callable[[Role | None], Client], fake: Fake, app: FastAPI
) -> None:
    client = client_for(Role.PLANNER)
    job = wait(client, client.send("POST", "/api/builds", {"formats": ["html"]}).json()["id"])
    builds: Path = app.state.rbm.config.builds
    (builds / "secret.txt").write_text("the-content-of-a-secret", encoding="utf-8")
    base = f"/build/{job['id']}/files"
    page = client.get(f"{base}/en/index.html")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "inline" in page.headers["content-disposition"]
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none'
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get(f"{base}/en/report.css").headers["content-type"].startswith("text/css")
    for name in (
        "unlisted.txt",
        "job.json",
        "../secret.txt",
        "..%2Fsecret.txt",
        "%2e%2e/secret.txt",
        "en/..%2F..%2Fsecret.txt",
        "%2Fetc%2Fpasswd",
        "/etc/passwd",
        "en",
    ):
        for prefix in (base, f"/api/builds/{job['id']}/files"):
            response = client.get(f"{prefix}/{name}")
            assert response.status_code == 404, (prefix, name)
            assert b"the-content-of-a-secret" not in response.content


def test_unknown_builds_are_404_and_bad_ids_422(
    client_for: Callable[[Role | None], Client], fake: Fake
) -> None:
    client = client_for(Role.VIEWER)
    assert client.get("/api/builds/20260105-090000-abcdef").status_code == 404
    assert client.get("/build/20260105-090000-abcdef").status_code == 404
    assert client.get("/api/builds/20260105-090000-abcdef/files/tables.json").status_code == 404
    assert client.get("/api/builds/nope").status_code == 422
    assert client.get("/api/builds/..%2F..%2Fetc").status_code in (404, 422)


def test_a_failed_build_shows_its_message_without_a_traceback(
    client_for: Callable[[Role | None], Client], app: FastAPI
) -> None:
    def broken(
        dataset: Dataset,
        folder: Path,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        progress: Progress,
    ) -> list[Path]:
        raise RuntimeError("the fonts are missing")

    app.state.rbm.jobs = Jobs(runner=broken)
    client = client_for(Role.PLANNER)
    job = wait(client, client.send("POST", "/api/builds", {}).json()["id"])
    assert (job["state"], job["error"]) == ("failed", "RuntimeError: the fonts are missing")
    assert job["formats"] == ["html", "xlsx", "json", "pdf"] and job["langs"] == ["zh", "en"]
    page = client.get(job["href"], headers={"accept-language": "en"})
    alert = lxml_html.fromstring(page.text).xpath("//p[@role='alert']")[0].text_content()
    assert alert == "The build failed: RuntimeError: the fonts are missing"
    assert "Traceback" not in page.text


def test_finished_builds_are_listed_after_a_restart(
    client_for: Callable[[Role | None], Client], fake: Fake, app: FastAPI
) -> None:
    client = client_for(Role.PLANNER)
    job = wait(client, client.send("POST", "/api/builds", {"formats": ["json"]}).json()["id"])
    app.state.rbm.jobs = Jobs()  # what a new server process has
    listed = client.get("/api/builds").json()["jobs"]
    assert [(j["id"], j["state"], [f["name"] for f in j["files"]]) for j in listed] == [
        (job["id"], "done", list(SITE))
    ]
    assert client.get(f"/build/{job['id']}/files/tables.json").status_code == 200
