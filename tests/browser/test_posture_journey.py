"""A clinician uploads a posture photo on a visit and reads the analysis when the job is done."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from skimage import data


@pytest.fixture
def background_jobs(settings, tmp_path):
    """Run jobs on the in-process worker thread, as the live site does; stop it afterwards."""
    from collis.jobs.backends import InProcessWorker

    settings.JOBS_BACKEND = "thread"
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    InProcessWorker.stop()


def test_clinician_uploads_a_photo_and_sees_angles_and_suggestions(
    page: Page, site, sign_in, background_jobs, tmp_path
):
    photo = tmp_path / "astronaut.jpg"
    Image.fromarray(data.astronaut()).save(photo, quality=92)

    sign_in(site, "dr.maya-okafor", "collis-clinician-demo")
    page.get_by_label("Name or MRN").fill("DEMO-0001")
    page.get_by_role("button", name="Find patient").click()
    page.get_by_role("table").get_by_role("link").first.click()
    chart = page.get_by_role("figure", name=re.compile("Head posture angles across visits"))
    expect(chart.get_by_role("img")).to_be_visible()  # the demo analyses, as an SVG chart
    page.get_by_role("link", name=re.compile("^Add a posture photo or video")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Posture photo or video")
    # camera.js shows the camera controls where the browser has getUserMedia.
    expect(page.get_by_role("button", name="Start camera")).to_be_visible()
    page.get_by_label("Photo or video").set_input_files(photo)
    page.get_by_role("button", name="Upload and analyse").click()
    # Consent is required: the form says so and keeps nothing.
    expect(page.get_by_text("Confirm that the patient agreed")).to_be_visible()
    page.get_by_label("Photo or video").set_input_files(photo)
    page.get_by_label(re.compile("The patient agreed to this photo/video")).check()
    page.get_by_role("button", name="Upload and analyse").click()

    # The status page polls and reloads itself when the background job has finished.
    expect(page.get_by_role("heading", level=1)).to_have_text("Posture analysis")
    expect(page.get_by_role("heading", name="Head posture")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("term").filter(has_text="Rotation").first).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="°").first).to_be_visible()
    expect(page.get_by_role("heading", name="Suggested TWSTRS severity items")).to_be_visible()
    expect(page.get_by_text("suggested", exact=True).first).to_be_visible()
    annotated = page.get_by_role("img", name=re.compile("face landmarks"))
    expect(annotated).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", annotated.element_handle()) == 512

    page.get_by_role("link", name="Record TWSTRS for this visit").click()
    expect(page.get_by_text("They are suggestions")).to_be_visible()


def test_clinician_records_a_video_with_the_browser_camera(
    page: Page, site, sign_in, background_jobs
):
    """Chromium's synthetic camera: record, upload the WebM, and the job runs on it.

    The synthetic picture has no face, so the analysis ends in its clear "no face" failure:
    that proves the browser's recording (a WebM with no length in its header) passed the
    upload checks, was stored and was analysed.
    """
    sign_in(site, "dr.maya-okafor", "collis-clinician-demo")
    page.get_by_label("Name or MRN").fill("DEMO-0001")
    page.get_by_role("button", name="Find patient").click()
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("link", name=re.compile("^Add a posture photo or video")).click()

    page.get_by_role("button", name="Start camera").click()
    expect(page.get_by_text("Camera on.")).to_be_visible()
    page.get_by_role("button", name="Record video").click()
    page.wait_for_timeout(3000)
    page.get_by_role("button", name="Stop recording").click()
    expect(
        page.get_by_text(re.compile(r"Ready to upload: camera-video\.(webm|mp4)"))
    ).to_be_visible()
    page.get_by_label(re.compile("The patient agreed to this photo/video")).check()
    page.get_by_role("button", name="Upload and analyse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Posture analysis")
    expect(page.get_by_role("alert")).to_contain_text("No face was found", timeout=90_000)
