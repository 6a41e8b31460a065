"""One form class for every scale: a select per item, built from the pure item definitions."""

from __future__ import annotations

from django import forms

from collis.lib.fields import SaneDateField
from collis.scales import reference, tsui, twstrs
from collis.scales.grading import ItemSpec
from collis.scales.models import Assessment

SCALE_ITEMS = {
    Assessment.Scale.TWSTRS: twstrs.ITEMS,
    Assessment.Scale.TSUI: tsui.ITEMS,
}
SCALE_TITLES = {
    Assessment.Scale.TWSTRS: twstrs.TWSTRS_VERSION_LABEL,
    Assessment.Scale.TSUI: tsui.TSUI_VERSION_LABEL,
}


def _item_field(item: ItemSpec) -> forms.TypedChoiceField:
    choices = [("", "— not rated —")] + [
        (str(g), f"{g} – {item.grade_label(g)}" if item.grade_label(g) != str(g) else str(g))
        for g in range(item.minimum, item.maximum + 1)
    ]
    return forms.TypedChoiceField(
        label=item.label,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,  # completeness is checked by the scoring core, naming each item
    )


class ScaleForm(forms.Form):
    assessed_on = SaneDateField(widget=forms.DateInput(attrs={"type": "date"}))
    timepoint = forms.ChoiceField(choices=Assessment.Timepoint.choices)
    visit = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Visit")

    def __init__(
        self, *args, scale: str, visits=(), suggestions=None, caveats=None, **kwargs
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.items = SCALE_ITEMS[scale]
        self.suggestions = dict(suggestions or {})
        # Caveats of pre-filled posture suggestions (basis, band edge), shown beside the field.
        self.caveats = dict(caveats or {})
        self.fields["visit"].choices = [("", "— none —")] + [
            (str(v.pk), f"{v.occurred_at:%Y-%m-%d} {v.get_kind_display()}") for v in visits
        ]
        for item in self.items:
            self.fields[item.key] = _item_field(item)
        if scale == Assessment.Scale.TWSTRS:
            for name, label in (
                ("pain_best", "best"),
                ("pain_worst", "worst"),
                ("pain_usual", "usual"),
            ):
                self.fields[name] = forms.IntegerField(
                    label=f"Pain at its {label}, past week (0–10)",
                    min_value=0,
                    max_value=10,
                    required=False,
                )
            self.fields["time_seconds"] = forms.IntegerField(
                label="Seconds held within 10° of neutral (optional)",
                min_value=0,
                max_value=600,
                required=False,
                help_text="Fills the time item when it is left empty.",
            )

    def clean(self):
        data = super().clean()
        best, worst, usual = (data.get(f"pain_{k}") for k in ("best", "worst", "usual"))
        if None not in (best, worst, usual) and not best <= usual <= worst:
            self.add_error(
                "pain_usual",
                "Usual pain must lie between the best and the worst pain of the week.",
            )
        return data

    def item_groups(self):
        groups: dict[str, list] = {}
        for item in self.items:
            groups.setdefault(item.group, []).append(
                (
                    self[item.key],
                    item.key in self.suggestions,
                    self.suggestions.get(item.key),
                    self.caveats.get(item.key, "") if item.key in self.suggestions else "",
                )
            )
        return list(groups.items())

    def answers(self) -> dict[str, int | None]:
        """Item answers, with [U]/[S] helpers filling only items the clinician left empty."""
        data = self.cleaned_data
        answers = {item.key: data.get(item.key) for item in self.items}
        if self.scale == Assessment.Scale.TWSTRS:
            ratings = [data.get(f"pain_{k}") for k in ("best", "worst", "usual")]
            if answers["pain_severity"] is None and all(r is not None for r in ratings):
                answers["pain_severity"] = reference.pain_severity_from_ratings(
                    best=ratings[0], worst=ratings[1], usual=ratings[2]
                )
            if answers["time_at_midline"] is None and data.get("time_seconds") is not None:
                answers["time_at_midline"] = reference.time_at_midline_grade(data["time_seconds"])
        return answers

    def details(self) -> dict[str, int]:
        keys = ("pain_best", "pain_worst", "pain_usual", "time_seconds")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k) is not None}
