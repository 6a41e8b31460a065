from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "collis.diary"
    verbose_name = "Symptom diary and home programme"
