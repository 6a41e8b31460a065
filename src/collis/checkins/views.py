"""Pages of home check-ins: the patient's (portal) and the clinician's (review queue, curve).

Media are streamed only from here, each read audited; every page read is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from collis.accounts.guards import staff_member_required
from collis.accounts.roles import Role
from collis.audit.actions import Action, record_access
from collis.checkins import actions, record
from collis.checkins.access import access_checkin, access_own_checkin
from collis.checkins.errors import CheckinError, ConsentMissingError
from collis.checkins.forms import CheckinUploadForm, MessageForm, ScheduleForm
from collis.checkins.models import CheckinMessage, CheckinSchedule, HomeCheckin
from collis.checkins.presentation import patient_sentences, segment_rows
from collis.checkins.protocol import DURATION_S, protocol_json
from collis.lib.uploads import UploadError
from collis.patients.access import access_own_patient, access_patient

clinician_required = staff_member_required(role=Role.CLINICIAN)


# --- Patient (portal) ---------------------------------------------------------------------


@login_required
def my_checkins(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    record_access(request, Action.READ, patient, object_type="checkins.HomeCheckin",
                  detail={"view": "portal check-ins"})  # fmt: skip
    checkins = list(HomeCheckin.objects.filter(patient=patient).select_related("job")[:30])
    inbox = list(CheckinMessage.objects.filter(patient=patient).select_related("checkin")[:20])
    context = {
        "patient": patient,
        "inbox": inbox,
        "unread": {m.pk for m in inbox if m.read_at is None},
        "consent": actions.active_consent(patient),
        "checkins": checkins,
        "sentences": patient_sentences(checkins, gettext),
        "missed": record.missed(patient, timezone.localdate())[-3:],
    }
    response = render(request, "checkins/portal_list.html", context)
    actions.mark_messages_read(request, patient=patient, messages=inbox)
    return response


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    if request.method == "POST":
        if request.POST.get("agree") == "1":
            actions.give_consent(request, patient=patient)
            messages.success(request, gettext("Thank you. You can now record check-ins at home."))
            return redirect("checkins:portal-new")
        if request.POST.get("revoke") == "1":
            actions.revoke_consent(request, patient=patient)
            messages.success(
                request, gettext("Your consent is withdrawn. We will not ask for videos.")
            )
            return redirect("checkins:portal-list")
    context = {
        "patient": patient,
        "consent": actions.active_consent(patient),
        "statement": gettext(actions.CONSENT_STATEMENT),
    }
    return render(request, "checkins/portal_consent.html", context)


def recorder_words() -> dict[str, str]:
    """What the recorder script says, in the page's language (checkin.js falls back to English)."""
    return {
        "camera_on": gettext("Camera on. Put your face inside the oval, then start the check-in."),
        "no_camera": gettext("The camera could not be started."),
        "use_camera_app": gettext(
            "Record with your phone's camera app and choose the video below instead."
        ),
        "done": gettext("Done. Thank you!"),
        "record_again": gettext("Record again"),
        "ready": gettext("Your check-in is ready. Press “Send to my clinic”, or record again."),
        "recording": gettext("Recording… follow the prompts."),
        # The live framing guide (issue #16), checked twice a second.
        "framing_ok": gettext("Good: your face is inside the frame."),
        "framing_dark": gettext("It looks too dark. Turn on a light in front of you."),
        "framing_no_face": gettext(
            "We can’t see your face. Sit facing the camera, with a light in front of you."
        ),
        "framing_too_far": gettext(
            "You look too far away: move closer, so your face fills more of the oval."
        ),
        "framing_too_close": gettext(
            "You are too close: hold the phone a little further away, so your shoulders show."
        ),
        "framing_left": gettext(
            "Your face is too far to the left of the picture: move so it sits inside the oval."
        ),
        "framing_right": gettext(
            "Your face is too far to the right of the picture: move so it sits inside the oval."
        ),
        "framing_unknown": gettext(
            "We can’t check the framing automatically here: make sure your face is inside the oval."
        ),
        "framing_simple": gettext("(A simple colour check, not face recognition.)"),
    }


@login_required
def new_checkin(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    if actions.active_consent(patient) is None:
        return redirect("checkins:portal-consent")
    form = CheckinUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = actions.upload_checkin(
                request,
                patient=patient,
                file=form.cleaned_data["file"],
                mirrored=form.cleaned_data["mirrored"],
                note=form.cleaned_data["note"],
            )
        except ConsentMissingError:
            return redirect("checkins:portal-consent")
        except UploadError as exc:
            form.add_error("file", exc.translated(gettext))
        except CheckinError as exc:
            form.add_error("file", str(exc))  # already in the patient's language
        else:
            return redirect("checkins:portal-detail", checkin.pk)
    context = {
        "patient": patient,
        "form": form,
        "protocol": protocol_json(gettext),
        "words": recorder_words(),
        "duration": int(DURATION_S),
    }
    return render(request, "checkins/portal_new.html", context, status=422 if form.errors else 200)


@login_required
def my_checkin(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = access_own_checkin(request.user, checkin_id)
    record_access(request, Action.READ, checkin, detail={"view": "portal"})
    inbox = list(checkin.messages.all())
    context = {
        "patient": checkin.patient,
        "checkin": checkin,
        "inbox": inbox,
        "rows": segment_rows(checkin.segments, _still_keys(checkin), gettext),
        "sentences": patient_sentences(
            list(
                HomeCheckin.objects.filter(
                    patient=checkin.patient, recorded_at__lte=checkin.recorded_at
                )[:2]
            ),
            gettext,
        ),
    }
    response = render(request, "checkins/portal_detail.html", context)
    actions.mark_messages_read(request, patient=checkin.patient, messages=inbox)
    return response


@login_required
def my_checkin_status(request: HttpRequest, checkin_id: int) -> JsonResponse:
    # State and progress only, no health data: polled, so not audited.
    checkin = access_own_checkin(request.user, checkin_id)
    return _status(checkin)


def _still_keys(checkin: HomeCheckin) -> set[str]:
    return set(checkin.stills.exclude(image="").values_list("segment", flat=True))


def _status(checkin: HomeCheckin) -> JsonResponse:
    job = checkin.job
    status = checkin.status
    return JsonResponse(
        {
            "status": status,
            "label": checkin.status_label,
            "percent": 100 if checkin.is_analysed else (job.percent if job else 0),
            "note": gettext(checkin.error_message) if checkin.error_message else "",
            "finished": status in {"done", "failed"},
        },
        headers={"Cache-Control": "no-store"},
    )


# --- Clinician ----------------------------------------------------------------------------


@clinician_required
def review_queue(request: HttpRequest) -> HttpResponse:
    rows = list(
        HomeCheckin.objects.filter(reviewed_at__isnull=True)
        .select_related("patient", "job")
        .order_by("recorded_at")[:200]
    )
    record_access(request, Action.READ, object_type="checkins.HomeCheckin",
                  detail={"view": "review queue", "count": len(rows)})  # fmt: skip
    flagged = record.flagged_patient_ids({c.patient_id for c in rows})
    context = {"rows": [(c, c.patient_id in flagged) for c in rows]}
    return render(request, "checkins/review_queue.html", context)


@clinician_required
def review_detail(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = access_checkin(request.user, checkin_id)
    record_access(request, Action.READ, checkin)
    context = {
        "checkin": checkin,
        "patient": checkin.patient,
        "rows": segment_rows(checkin.segments, _still_keys(checkin)),
        "warnings": ((checkin.result or {}).get("quality") or {}).get("warnings", []),
        "flag": record.wearing_off_flag(checkin.patient),
        "suggestion": record.SUGGESTION,
        "message_form": MessageForm(),
        "sent": list(checkin.messages.all()),
    }
    return render(request, "checkins/review_detail.html", context)


@clinician_required
@require_POST
def send_message(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = access_checkin(request.user, checkin_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            actions.send_message(
                request, actor=request.user, checkin=checkin, body=form.cleaned_data["body"]
            )
        except CheckinError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Message sent. The patient reads it in the portal.")
    else:
        messages.error(
            request, "The message was not sent: write it first (at most 2000 characters)."
        )
    return redirect("checkins:review-detail", checkin.pk)


@clinician_required
@require_POST
def mark_reviewed(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = access_checkin(request.user, checkin_id)
    actions.mark_reviewed(request, actor=request.user, checkin=checkin)
    messages.success(request, "Marked as reviewed.")
    return redirect("checkins:review-queue")


@clinician_required
def annotated_file(request: HttpRequest, checkin_id: int) -> HttpResponse:
    checkin = access_checkin(request.user, checkin_id)
    if not checkin.annotated:
        raise Http404("No annotated picture.")
    record_access(request, Action.READ, checkin, detail={"file": "annotated"})
    return _png(checkin.annotated.name, f"checkin-{checkin.pk}.png")


@clinician_required
def still_file(request: HttpRequest, checkin_id: int, segment: str) -> HttpResponse:
    return _still(request, access_checkin(request.user, checkin_id), segment)


@login_required
def my_still_file(request: HttpRequest, checkin_id: int, segment: str) -> HttpResponse:
    return _still(request, access_own_checkin(request.user, checkin_id), segment)


def _still(request: HttpRequest, checkin: HomeCheckin, segment: str) -> HttpResponse:
    """One segment's annotated still of a check-in the caller may see; each read audited."""
    still = checkin.stills.filter(segment=segment).exclude(image="").first()
    if still is None:
        raise Http404("No picture of that step.")
    record_access(request, Action.READ, checkin, detail={"file": "still", "segment": segment})
    return _png(still.image.name, f"checkin-{checkin.pk}-{segment}.png")


def _png(name: str, filename: str) -> HttpResponse:
    # Read whole (a still is well under a few MB): a response dropped by a later failure (a
    # middleware error) then leaves no file open behind it.
    with default_storage.open(name, "rb") as picture:
        response = HttpResponse(picture.read(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@clinician_required
def wearing_off(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient(request.user, patient_id)
    record_access(request, Action.READ, patient, object_type="checkins.HomeCheckin",
                  detail={"view": "wearing-off curve"})  # fmt: skip
    curves = record.curves(patient)
    schedule = CheckinSchedule.objects.filter(patient=patient).first()
    form = ScheduleForm(
        initial={"start_week": schedule.start_week, "interval_days": schedule.interval_days,
                 "active": schedule.active} if schedule else None
    )  # fmt: skip
    context = {
        "patient": patient,
        "curves": curves,
        "flagged": [c for c in curves.cycles if c.flagged],
        "suggestion": record.SUGGESTION,
        "fraction": record.fraction(),
        "before_week": record.before_week(),
        "form": form,
        "missed": record.missed(patient, timezone.localdate()),
    }
    return render(request, "checkins/wearing_off.html", context)


@clinician_required
@require_POST
def schedule_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient(request.user, patient_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        actions.set_schedule(request, actor=request.user, patient=patient, **form.cleaned_data)
        messages.success(request, "Check-in schedule saved.")
    else:
        messages.error(request, "The schedule was not saved: check the numbers.")
    return redirect("checkins:wearing-off", patient.pk)
