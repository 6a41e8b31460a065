from django.apps import AppConfig


class InjectionsConfig(AppConfig):
    name = "collis.injections"
    verbose_name = "Botulinum toxin injections"
