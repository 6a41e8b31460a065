"""The clinic, where it is, when it is open, and who works there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Clinic(models.Model):
    """The organisation running this Collis installation (one row)."""

    name = models.CharField(max_length=200)
    tagline = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40)
    email = models.EmailField(blank=True)
    about = models.TextField(blank=True, help_text="Short paragraph for the home page.")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Clinic | None:
        return cls.objects.order_by("pk").first()


class Location(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    directions = models.TextField(blank=True, help_text="Parking, entrance, accessibility.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def one_line_address(self) -> str:
        parts = [self.street, self.city, " ".join(p for p in (self.region, self.postal_code) if p)]
        return ", ".join(p for p in parts if p)


class OpeningHours(models.Model):
    """Public opening hours of a location (not clinicians' bookable hours)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="hours_close_after_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Specialty(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClinicianQuerySet(models.QuerySet):
    def active(self) -> ClinicianQuerySet:
        return self.filter(is_active=True)


class Clinician(models.Model):
    """A physiatrist, neurologist or therapist shown in the directory and bookable online."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinician",
    )
    display_name = models.CharField(max_length=200, help_text="As shown to patients.")
    slug = models.SlugField(unique=True)
    credentials = models.CharField(max_length=100, blank=True, help_text="e.g. MD, DO, PT, DPT")
    title = models.CharField(
        max_length=200, blank=True, help_text="e.g. Movement-disorders neurologist"
    )
    specialties = models.ManyToManyField(Specialty, related_name="clinicians", blank=True)
    locations = models.ManyToManyField(Location, related_name="clinicians", blank=True)
    languages = models.ManyToManyField(Language, related_name="clinicians", blank=True)
    bio = models.TextField(blank=True)
    conditions_treated = models.TextField(
        blank=True, help_text="One condition per line, e.g. Cervical dystonia"
    )
    accepting_new_patients = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    objects = ClinicianQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}" if self.credentials else self.display_name

    def get_absolute_url(self) -> str:
        return reverse("providers:clinician-detail", kwargs={"slug": self.slug})

    @property
    def conditions_list(self) -> list[str]:
        return [line.strip() for line in self.conditions_treated.splitlines() if line.strip()]

    @property
    def initials(self) -> str:
        words = [w for w in self.display_name.replace("Dr.", "").split() if w[:1].isalpha()]
        return "".join(w[0].upper() for w in words[:2])
