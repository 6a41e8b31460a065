"""The patient portal under /portal/: a patient's own appointments, diary, programme, charts
and visit summaries. Every query starts from ``access_own_patient(request.user)``."""
