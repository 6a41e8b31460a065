from __future__ import annotations

from django import forms

from collis.recordings.actions import CONSENT_STATEMENT

# What the file picker offers; the server checks the content whatever the browser sent.
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/heic,video/mp4,video/quicktime,video/webm"


class RecordingUploadForm(forms.Form):
    file = forms.FileField(
        label="Photo or video",
        help_text=(
            "A photo (JPEG, PNG, WebP, HEIC) or a video of up to 2 minutes (MP4, MOV, WebM) of the "
            "patient facing the camera, head and shoulders in view."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES}),
    )
    mirrored = forms.BooleanField(
        required=False,
        label="Taken with a selfie (front) camera that saved a mirror image",
        help_text="Left and right are swapped back before measuring.",
    )
    consent_confirmed = forms.BooleanField(
        required=True,
        label=CONSENT_STATEMENT,
        error_messages={
            "required": "Confirm that the patient agreed before uploading a photo or video."
        },
    )
