"""The product table matches the label table and keeps a clinic's corrections."""

import pytest

from collis.diary.library import EXERCISES, ensure_exercise_library
from collis.diary.models import Exercise
from collis.injections import dosing
from collis.injections.catalogue import ensure_label_products
from collis.injections.models import ToxinProduct

pytestmark = pytest.mark.django_db


def test_migrated_products_match_the_label_table():
    for product in ToxinProduct.objects.all():
        assert product.label() == dosing.LABELS[product.code]
    assert ToxinProduct.objects.count() == len(dosing.LABELS)


def test_missing_products_are_recreated_and_edits_kept():
    ToxinProduct.objects.filter(code="daxibotulinumtoxinA").delete()
    ToxinProduct.objects.filter(code="incobotulinumtoxinA").update(min_interval_days=70)
    ensure_label_products()
    assert ToxinProduct.objects.count() == 5
    assert ToxinProduct.objects.get(code="incobotulinumtoxinA").min_interval_days == 70


def test_exercise_library_is_restored():
    Exercise.objects.all().delete()
    ensure_exercise_library()
    assert Exercise.objects.count() == len(EXERCISES)
