"""Home check-ins in the patient's data export; their pictures erased on anonymisation."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from collis.checkins.models import CheckinMessage, HomeCheckin
from collis.patients.privacy import anonymisers, export_patient_data


def test_export_holds_the_measurements_and_anonymisation_erases_the_stills(patient):
    checkin = HomeCheckin(
        patient=patient, recorded_at=timezone.now(), protocol_version="home-v1",
        result={}, resting_rotation_deg=-12.0, patient_note="stiff",
    )  # fmt: skip
    checkin.annotated.save("still.png", ContentFile(b"png"), save=False)
    checkin.save()
    CheckinMessage.objects.create(checkin=checkin, patient=patient, sender_name="Dr. A",
                                  body="Please book earlier.", sent_at=timezone.now())  # fmt: skip
    exported = export_patient_data(patient)["sections"]["home_checkins"]
    assert exported[0]["resting"]["rotation_deg"] == -12.0 and exported[0]["note"] == "stiff"
    assert exported[0]["messages_from_clinic"][0]["message"] == "Please book earlier."
    anonymisers()["home_checkins"](patient)
    checkin.refresh_from_db()
    assert not checkin.annotated and checkin.original_deleted_at is not None
    assert checkin.patient_note == "" and CheckinMessage.objects.get().body == ""
