from io import StringIO

import pytest
from django.core.management import call_command

from collis.jobs.models import Job


@pytest.mark.django_db(transaction=True)
def test_check_workers_runs_a_canary_through_the_backend():
    out = StringIO()
    call_command("check_workers", "--timeout", "10", stdout=out)
    assert "Workers OK" in out.getvalue()
    job = Job.objects.get(name="ops.canary")
    assert job.state == Job.State.DONE and job.result["attempt"] == 1
