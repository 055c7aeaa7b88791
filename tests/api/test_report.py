"""The report a consultant hands to the client: the web page and the PDF say the same, and
say nothing that singles a person out."""

import os
import shutil
import subprocess

import pytest

from tests import builders
from tests.client import assert_problem

PDF = "application/pdf"


@pytest.fixture
def rich_project(client):
    return builders.rich_project(client)


@pytest.fixture
def poppler():
    """pdftoppm and pdftotext (Debian's poppler-utils; CI installs them, so never skips there)."""
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils is missing in CI: .ci/run installs it")
        pytest.skip("poppler-utils is not installed")


def report(client, project, accept="text/html"):
    return client.get(f"/api/v1/projects/{project['id']}/report", headers={"Accept": accept})


def test_the_page_tells_the_project_from_intake_to_agreements(client, rich_project):
    project, _ = rich_project
    answer = report(client, project)

    assert answer.status_code == 200
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert project["name"] in page
    assert "Advice" in page  # the service, with its group
    assert "Giving feedback" in page  # a competence the team depends on
    assert 'class="level level-4"' in page  # the heatmap colours the senior's level
    assert 'competence spof"' in page  # and marks a single point of failure
    assert "Share the budget." in page  # what was agreed in the joint meeting
    assert "on_track" in page  # the agreement's latest check-in


def test_grievances_are_counted_never_quoted(client, rich_project):
    project, _ = rich_project
    grievances = f"/api/v1/projects/{project['id']}/intake/grievances"
    client.ok("POST", grievances, {"text": "The MT never listens.", "anonymous": True})
    page = report(client, project).get_data(as_text=True)

    assert "The MT never listens." not in page
    aired = len(client.ok("GET", grievances))
    assert f"Grievances aired: {aired}" in page


def test_the_page_escapes_what_people_typed(client):
    project, _ = builders.project_in(client, "intake")
    client.ok(
        "POST", f"/api/v1/projects/{project['id']}/intake/findings", {"text": "<script>x</script>"}
    )
    page = report(client, project).get_data(as_text=True)

    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_the_pdf_renders_pages_that_read_back(client, rich_project, poppler, tmp_path):
    project, _ = rich_project
    answer = report(client, project, accept=PDF)

    assert answer.status_code == 200
    assert answer.mimetype == PDF
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(answer.data)
    subprocess.run(["pdftoppm", "-r", "50", "-png", pdf, tmp_path / "page"], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages, "no page rendered"
    assert all(p.stat().st_size > 1000 for p in pages)  # rendered, not blank files
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    assert project["name"] in text
    assert "Advice" in text
    assert "Share the budget." in text


def test_a_rendering_the_report_has_not_is_refused(client, rich_project):
    project, _ = rich_project
    problem = assert_problem(report(client, project, accept="application/json"), 406)

    assert "text/html" in problem["detail"]


def test_the_report_is_one_snapshot_read_whatever_the_size(client, count_statements):
    small, _ = builders.project_in(client, "intake")
    large, _ = builders.project_in(client, "intake")
    builders.many_participants(client, large, 20)
    with count_statements() as few:
        report(client, small)
    with count_statements() as many:
        report(client, large)

    assert few.count == many.count


def test_readiness_is_shown_only_over_three_raters_or_more(client):
    two, _ = builders.project_in(client, "intake", members=2)
    three, _ = builders.project_in(client, "intake", members=3)

    assert "withheld: fewer than 3 ratings" in report(client, two).get_data(as_text=True)
    shown = report(client, three).get_data(as_text=True)
    assert "withheld" not in shown
    assert "<td>4.0</td>" in shown  # everyone's desire was 4


def test_the_report_speaks_the_request_language(client, rich_project):
    project, _ = rich_project
    answer = client.get(
        f"/api/v1/projects/{project['id']}/report",
        headers={"Accept": "text/html", "Accept-Language": "nl"},
    )

    assert answer.headers["Content-Language"] == "nl"
    page = answer.get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Competentiematrix" in page
    assert "Ontwikkelafspraken" in page


def test_the_report_shows_the_effect_from_the_baseline(client, rich_project):
    project, _ = rich_project
    base = f"/api/v1/projects/{project['id']}"
    service = client.ok("GET", f"{base}/services")[0]
    indicator = client.ok("GET", f"{base}/services/{service['id']}/indicators")[0]
    measurements = f"{base}/services/{service['id']}/indicators/{indicator['id']}/measurements"
    client.ok("POST", measurements, {"value": 6.5, "date": "2026-09-01"})
    client.ok("POST", measurements, {"value": 8, "date": "2026-11-30"})

    page = report(client, project).get_data(as_text=True)

    assert "Effect: where the team started and where it stands" in page
    assert "6.5 (2026-09-01)" in page
    assert "8.0 (2026-11-30)" in page
    assert "Holders at level 3 or more, before" in page
