"""Issue #20: media in a private S3-compatible bucket (moto in server mode, real HTTP).

The posture job reads its input from the bucket into a temporary file, as a worker on another
host must; the annotated still goes back into the bucket; nothing lands on local disk; the bucket
is private; a signed URL exists only behind the audited, access-checked view.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from collis.audit.models import AuditEvent


@pytest.fixture
def analysed_on_s3(s3_storage, analysed):
    return analysed


def _keys(s3) -> set[str]:
    listing = s3["client"].list_objects_v2(Bucket=s3["bucket"])
    return {item["Key"] for item in listing.get("Contents", [])}


def test_posture_job_reads_from_and_writes_to_the_bucket(s3_storage, analysed, private_media):
    recording = analysed
    assert recording.status == "done", recording.error_message
    assert recording.result["angles"]
    keys = _keys(s3_storage)
    assert recording.original.name in keys
    assert recording.annotated.name in keys
    assert not any(private_media.rglob("*.*")) if private_media.exists() else True


def test_bucket_is_private(s3_storage, analysed):
    url = f"{s3_storage['url']}/{s3_storage['bucket']}/{analysed.original.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)  # noqa: S310 - loopback test server
    refused.value.close()
    assert refused.value.code == 403


def test_audited_view_streams_from_the_bucket(s3_storage, analysed, clinician_client):
    response = clinician_client.get(reverse("recordings:recording-original", args=[analysed.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_signed_redirect_only_behind_the_audited_view(
    s3_storage, analysed, clinician_client, settings
):
    from django.test import Client

    settings.S3_PRESIGNED_REDIRECT = True
    url = reverse("recordings:recording-annotated", args=[analysed.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302  # to sign-in, never to the bucket
    assert s3_storage["url"] not in anonymous["Location"]

    before = AuditEvent.objects.filter(action="read", object_id=str(analysed.pk)).count()
    response = clinician_client.get(url)
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(s3_storage["url"]) and "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=60" in signed
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="read", object_id=str(analysed.pk)).count() == (
        before + 1
    )
    with urllib.request.urlopen(signed, timeout=5) as fetched:  # noqa: S310 - loopback
        assert fetched.read(4) == b"\x89PNG"
