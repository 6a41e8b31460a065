from django import forms
from django.utils.translation import gettext_lazy as _

from collis.providers.models import Language, Location, Specialty


class DirectoryFilterForm(forms.Form):
    """Filters of the public provider directory; unknown values are ignored, not errors."""

    specialty = forms.ModelChoiceField(
        queryset=Specialty.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any specialty"),
        label=_("Specialty"),
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label=_("Any location"),
        label=_("Location"),
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(),
        required=False,
        empty_label=_("Any language"),
        label=_("Language"),
    )
    new_patients = forms.BooleanField(required=False, label=_("Accepting new patients"))
