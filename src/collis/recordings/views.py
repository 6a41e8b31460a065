"""Clinic pages for posture recordings: upload on a visit, result, media, delete, retry.

Every page is for clinicians with a verified second factor; media are streamed only from here
(there is no MEDIA_URL), each read audited.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from collis.accounts.guards import staff_member_required
from collis.accounts.roles import Role
from collis.audit.actions import Action, record_access
from collis.lib.storage import is_remote
from collis.lib.uploads import UploadError
from collis.patients.access import access_visit
from collis.recordings import actions, presentation
from collis.recordings.access import access_recording
from collis.recordings.errors import ConsentRequiredError, RecordingError
from collis.recordings.forms import RecordingUploadForm
from collis.recordings.record import posture_chart

clinician_required = staff_member_required(role=Role.CLINICIAN)


@clinician_required
def recording_create(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id)
    form = RecordingUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            recording = actions.upload_recording(
                request,
                actor=request.user,
                visit=visit,
                file=form.cleaned_data["file"],
                mirrored=form.cleaned_data["mirrored"],
                consent_confirmed=form.cleaned_data["consent_confirmed"],
            )
        except ConsentRequiredError as exc:
            form.add_error("consent_confirmed", exc.message)
        except (UploadError, RecordingError) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(recording)
    record_access(request, Action.READ, visit, detail={"view": "posture upload"})
    context = {
        "visit": visit,
        "patient": visit.patient,
        "form": form,
        "recordings": visit.posture_recordings.select_related("job"),
    }
    status = 422 if form.errors else 200
    return render(request, "recordings/recording_form.html", context, status=status)


@clinician_required
def recording_detail(request: HttpRequest, recording_id: int) -> HttpResponse:
    recording = access_recording(request.user, recording_id)
    record_access(request, Action.READ, recording)
    result = recording.result or {}
    context = {
        "recording": recording,
        "patient": recording.patient,
        "visit": recording.visit,
        "result": result,
        "angles": presentation.describe_angles(result.get("angles")),
        "suggestions": presentation.suggestion_rows(recording.suggestions),
        "warnings": (result.get("quality") or {}).get("warnings", []),
        "time_chart": presentation.angles_over_time_chart(result) if result else None,
        "spectrum_chart": presentation.tremor_spectrum_chart(result) if result else None,
        "visits_chart": posture_chart(recording.patient),
        "flexion_reference": presentation.flexion_reference_text(result),
        "head_on_trunk": presentation.describe_angles(result.get("head_on_trunk")),
        "excursion": presentation.describe_angles(result.get("excursion")),
    }
    return render(request, "recordings/recording_detail.html", context)


@clinician_required
def recording_status(request: HttpRequest, recording_id: int) -> JsonResponse:
    # State and progress only, no health data: polled every few seconds, so not audited.
    recording = access_recording(request.user, recording_id)
    job = recording.job
    status = recording.status
    return JsonResponse(
        {
            "status": status,
            "label": recording.status_label,
            "percent": 100 if recording.is_analysed else (job.percent if job else 0),
            "note": job.progress_note if job and not recording.is_analysed else "",
            "finished": status in {"done", "failed"},
        },
        headers={"Cache-Control": "no-store"},
    )


@clinician_required
def original_file(request: HttpRequest, recording_id: int) -> FileResponse:
    recording = access_recording(request.user, recording_id)
    if not recording.original:
        raise Http404("The photo or video was deleted.")
    record_access(request, Action.READ, recording, detail={"file": "original"})
    extension = recording.original.name.rsplit(".", 1)[-1]
    name = f"posture-{recording.pk}.{extension}"
    return _private_file(recording.original.name, recording.mime_type, name)


@clinician_required
def annotated_file(request: HttpRequest, recording_id: int) -> FileResponse:
    recording = access_recording(request.user, recording_id)
    if not recording.annotated:
        raise Http404("No annotated picture.")
    record_access(request, Action.READ, recording, detail={"file": "annotated"})
    return _private_file(recording.annotated.name, "image/png", f"posture-{recording.pk}.png")


def _private_file(name: str, content_type: str, download_name: str) -> HttpResponse:
    """The file, after the caller checked access and wrote the audit entry.

    On S3 with ``S3_PRESIGNED_REDIRECT`` the answer is a redirect to a URL signed for
    ``S3_PRESIGNED_SECONDS``; such a URL exists only for a request that passed this view.
    """
    if settings.S3_PRESIGNED_REDIRECT and is_remote():
        url = default_storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f'inline; filename="{download_name}"',
                "ResponseCacheControl": "private, no-store",
            },
        )
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"
        redirect["Referrer-Policy"] = "no-referrer"
        return redirect
    response = FileResponse(
        default_storage.open(name, "rb"), content_type=content_type, filename=download_name
    )
    response["Content-Disposition"] = f'inline; filename="{download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@clinician_required
def original_delete(request: HttpRequest, recording_id: int) -> HttpResponse:
    recording = access_recording(request.user, recording_id)
    if request.method == "POST":
        try:
            actions.delete_original(request, actor=request.user, recording=recording)
        except RecordingError as exc:
            messages.info(request, exc.message)
        else:
            messages.success(request, "The photo or video and its annotated picture were deleted.")
        return redirect(recording)
    record_access(request, Action.READ, recording, detail={"view": "confirm deletion"})
    context = {"recording": recording, "patient": recording.patient}
    return render(request, "recordings/recording_confirm_delete.html", context)


@clinician_required
@require_POST
def recording_retry(request: HttpRequest, recording_id: int) -> HttpResponse:
    recording = access_recording(request.user, recording_id)
    try:
        actions.retry_analysis(request, actor=request.user, recording=recording)
    except RecordingError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, "The analysis was queued again.")
    return redirect(recording)


@clinician_required
@require_POST
def recording_neutral(request: HttpRequest, recording_id: int) -> HttpResponse:
    recording = access_recording(request.user, recording_id)
    neutral = request.POST.get("neutral") == "1"
    try:
        actions.mark_neutral(request, actor=request.user, recording=recording, neutral=neutral)
    except RecordingError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request,
            "Marked as the patient's neutral posture: analyses from now on report flexion "
            "against it."
            if neutral
            else "No longer the patient's neutral posture.",
        )
    return redirect(recording)
