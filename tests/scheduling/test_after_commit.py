"""Issue #20: once a booking is committed the answer is 201, whatever its email job does.

With ``JOBS_BACKEND=sync`` the confirmation-email job runs right after the commit, in the request.
A database hiccup at that moment (simulated with Django's own ``execute_wrapper`` hook: every
write to the job table fails as if the server had just restarted) used to turn the saved
booking into a 503. The job stays queued for a worker; the booking stands.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from collis.jobs.models import Job
from collis.scheduling.models import Appointment

from .conftest import make_clinic
from .test_api import booking, post


def _job_writes_fail(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith("UPDATE") and '"jobs_job"' in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_committed_booking_answers_201_when_its_email_job_fails(client, settings):
    settings.JOBS_BACKEND = "sync"
    clinic = make_clinic()
    with connection.execute_wrapper(_job_writes_fail):
        response = post(client, "/appointments", booking(clinic, clinic.at(clinic.monday, 10)))
    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get(uid=response.json()["uid"])
    job = Job.objects.get(name="scheduling.send_appointment_email")
    assert job.kwargs["appointment_id"] == appointment.pk
    assert job.state == Job.State.QUEUED  # left for a worker / the re-dispatch pass


@pytest.mark.django_db
def test_confirmation_job_run_again_after_its_worker_died_sends_one_email(client, settings):
    """SMTP accepted the email, then the worker died before the job was marked done."""
    from django.core import mail

    from collis.jobs.runner import run_job

    settings.JOBS_BACKEND = "sync"
    clinic = make_clinic()
    response = post(client, "/appointments", booking(clinic, clinic.at(clinic.monday, 10)))
    assert response.status_code == 201
    job = Job.objects.get(name="scheduling.send_appointment_email")
    run_job(job.pk)
    assert len(mail.outbox) == 1
    # The worker "died": the job is back to running with a stale heartbeat, and runs again.
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    again = run_job(job.pk)
    assert again.state == Job.State.DONE
    assert again.result["sent"] is False
    assert len(mail.outbox) == 1
