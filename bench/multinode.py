"""The issue #20 multi-node demo: several servers and workers sharing PostgreSQL, Redis and S3.

Starts bench/cluster.py's layout as plain processes (two gunicorn behind a proxy, two Celery
workers, one beat, Redis, PostgreSQL, moto S3), then: a clinician signs in and uploads a posture
photo on web A; a worker on the broker analyses it, reading the photo from S3; the result page
and the annotated picture are fetched from web B. Exit status 0 only if all of that happened.

    python bench/multinode.py            # run the demo, stop everything
    python bench/multinode.py --keep     # leave the cluster running (Ctrl+C stops it)
"""

from __future__ import annotations

import argparse
import io
import os
import re
import time

import requests
from cluster import Cluster

PASSWORD = "multi-node-clinician-pw"  # noqa: S105 - a throwaway bench database


def make_clinician_and_visit() -> tuple[str, str, int]:
    from datetime import timedelta

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role
    from collis.patients.models import Patient, Visit
    from collis.providers.models import Clinician

    user = ensure_user_with_role("multinode-clinician", Role.CLINICIAN, password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    visit = Visit.objects.create(
        patient=Patient.objects.order_by("pk").first(),
        clinician=Clinician.objects.order_by("pk").first(),
        occurred_at=timezone.now() - timedelta(hours=1),
        kind=Visit.Kind.INJECTION,
    )
    return user.username, device.key, visit.pk


def sign_in(base: str, username: str, key: str) -> requests.Session:
    from django_otp.oath import TOTP

    s = requests.Session()
    s.get(base + "/accounts/login/", timeout=30)
    s.post(
        base + "/accounts/login/",
        data={"username": username, "password": PASSWORD,
              "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": base},
        timeout=30,
    )  # fmt: skip
    verify = s.get(base + "/accounts/two-factor/verify/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', verify.text).group(1)
    s.post(
        base + "/accounts/two-factor/verify/",
        data={"token": f"{TOTP(bytes.fromhex(key)).token():06d}", "csrfmiddlewaretoken": token},
        headers={"Referer": base},
        timeout=30,
    )
    return s


def astronaut_jpeg() -> bytes:
    from PIL import Image
    from skimage import data

    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def demo(cluster: Cluster) -> list[str]:
    """Run the scenario; return the failures (empty when everything held)."""
    os.environ.update(cluster.env())
    import django

    django.setup()
    username, key, visit_id = make_clinician_and_visit()
    a, b = cluster.web_url(0), cluster.web_url(1)
    failures = []
    session = sign_in(a, username, key)
    form = session.get(f"{a}/clinic/visits/{visit_id}/recordings/new/", timeout=30)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    began = time.monotonic()
    upload = session.post(
        f"{a}/clinic/visits/{visit_id}/recordings/new/",
        data={"csrfmiddlewaretoken": csrf, "consent_confirmed": "on"},
        files={"file": ("posture.jpg", astronaut_jpeg(), "image/jpeg")},
        headers={"Referer": a},
        allow_redirects=False,
        timeout=60,
    )
    match = re.search(r"/clinic/recordings/(\d+)/", upload.headers.get("Location", ""))
    if upload.status_code != 302 or not match:
        return [f"upload on A answered {upload.status_code}, not a redirect to the recording"]
    recording_id = int(match.group(1))
    print(f"uploaded recording {recording_id} on web A ({a})")
    status = {}
    while time.monotonic() - began < 180:
        status = session.get(f"{b}/clinic/recordings/{recording_id}/status.json", timeout=30).json()
        if status.get("state") in {"done", "failed"} or status.get("status") in {"done", "failed"}:
            break
        time.sleep(1)
    took = time.monotonic() - began
    print(f"status seen on web B ({b}) after {took:.1f} s: {status}")

    from collis.jobs.models import Job
    from collis.recordings.models import PostureRecording

    recording = PostureRecording.objects.get(pk=recording_id)
    if recording.status != "done":
        failures.append(f"analysis ended {recording.status}: {recording.error_message}")
    job = Job.objects.get(pk=recording.job_id)
    print(f"job #{job.pk}: {job.state}, attempts {job.attempts}, request id {job.request_id}")
    page = session.get(f"{b}/clinic/recordings/{recording_id}/", timeout=30)
    if (
        page.status_code != 200
        or f"/clinic/recordings/{recording_id}/annotated.png" not in page.text
    ):
        failures.append(f"result page on B: {page.status_code}, no annotated picture")
    picture = session.get(f"{b}/clinic/recordings/{recording_id}/annotated.png", timeout=30)
    if picture.status_code != 200 or picture.content[:4] != b"\x89PNG":
        failures.append(f"annotated picture on B: {picture.status_code}")
    print(f"media in the S3 bucket only: {recording.original.name}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = parser.parse_args()
    cluster = Cluster()
    print("starting Redis, S3, PostgreSQL database, 2 web, 2 workers, beat, proxy ...")
    try:
        cluster.start()
        a, b = cluster.web_url(0), cluster.web_url(1)
        print(f"cluster up: proxy {cluster.url}, web A {a}, web B {b}")
        failures = demo(cluster)
        for failure in failures:
            print("FAIL:", failure)
        print("PASS: upload on A, analysed by a worker from S3, shown on B" if not failures else "")
        if args.keep:
            print("running; Ctrl+C stops every process")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        failures = []
    finally:
        cluster.stop()
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
