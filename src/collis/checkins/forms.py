from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# The phone's camera app saves MP4 or MOV; the browser recorder WebM or MP4.
ACCEPTED_TYPES = "video/*,video/mp4,video/quicktime,video/webm"


class CheckinUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Your check-in video"),
        help_text=_("Record with the guide above, or choose a video from your phone's camera app."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES, "capture": "user"}),
    )
    mirrored = forms.BooleanField(
        required=False,
        label=_("My phone saved a mirror image (selfie camera)"),
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Anything you want your clinic to know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleForm(forms.Form):
    start_week = forms.IntegerField(min_value=0, max_value=26, initial=2,
                                    label="First check-in, weeks after an injection")  # fmt: skip
    interval_days = forms.IntegerField(min_value=3, max_value=42, initial=7,
                                       label="Then every (days)")  # fmt: skip
    active = forms.BooleanField(required=False, initial=True, label="Ask for check-ins")


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=2000,
        label="Message to the patient",
        help_text="They read it in the portal, under Home check-ins. Not sent by e-mail.",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Please book an earlier visit."}),
    )
