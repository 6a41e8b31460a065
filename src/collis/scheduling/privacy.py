"""Privacy hooks of scheduling: appointments, waitlist and recall in the export; every copy of
the contact details (appointments, waitlist notes, queued emails, job records) anonymised."""

from __future__ import annotations

from typing import Any

from collis.jobs.models import Job
from collis.patients.models import Patient
from collis.scheduling.models import Appointment, InjectionRecall, WaitlistEntry

CANCELLED = "Cancelled: the patient was anonymised."


def export_scheduling(patient: Patient) -> dict[str, Any]:
    appointments = Appointment.objects.filter(patient=patient).select_related(
        "clinician", "location", "appointment_type"
    )
    recall = InjectionRecall.objects.filter(patient=patient).first()
    return {
        "appointments": [
            {
                "start": a.start,
                "end": a.end,
                "type": a.appointment_type.name,
                "clinician": a.clinician.display_name,
                "location": a.location.name,
                "status": a.status,
                "reason": a.reason,
                "contact_name": a.contact_name,
                "contact_email": a.contact_email,
                "contact_phone": a.contact_phone,
                "booked_at": a.created_at,
            }
            for a in appointments.order_by("start")
        ],
        "waitlist": [
            {
                "type": w.appointment_type.name,
                "earliest": w.earliest,
                "latest": w.latest,
                "status": w.status,
                "note": w.note,
            }
            for w in WaitlistEntry.objects.filter(patient=patient).select_related(
                "appointment_type"
            )
        ],
        "injection_recall": None
        if recall is None
        else {"last_injected_on": recall.last_injected_on, "due_on": recall.due_on},
    }


def anonymise_scheduling(patient: Patient) -> dict[str, int]:
    """Blank every copy of the contact details and free text; stop emails not yet sent."""
    ids = list(Appointment.objects.filter(patient=patient).values_list("pk", flat=True))
    appointments = Appointment.objects.filter(pk__in=ids).update(
        contact_name=f"Anonymised patient {patient.pk}",
        contact_email="",
        contact_phone="",
        reason="",
        cancel_reason="",
        override_reason="",
    )
    waitlist = WaitlistEntry.objects.filter(patient=patient).update(note="")
    jobs = Job.objects.filter(name__startswith="scheduling.", kwargs__appointment_id__in=ids)
    queued = jobs.filter(state=Job.State.QUEUED).update(state=Job.State.FAILED, error=CANCELLED)
    scrubbed = 0
    for job in jobs.exclude(result=None):
        if isinstance(job.result, dict) and "to" in job.result:
            Job.objects.filter(pk=job.pk).update(result={**job.result, "to": ""})
            scrubbed += 1
    return {
        "appointments": appointments,
        "waitlist entries": waitlist,
        "queued emails": queued,
        "job records": scrubbed,
    }
