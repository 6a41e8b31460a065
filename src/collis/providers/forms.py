from django import forms

from collis.providers.models import Language, Location, Specialty


class DirectoryFilterForm(forms.Form):
    """Filters of the public provider directory; unknown values are ignored, not errors."""

    specialty = forms.ModelChoiceField(
        queryset=Specialty.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label="Any specialty",
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
        empty_label="Any location",
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(),
        required=False,
        empty_label="Any language",
    )
    new_patients = forms.BooleanField(required=False, label="Accepting new patients")
