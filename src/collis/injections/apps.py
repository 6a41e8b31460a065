from django.apps import AppConfig


class InjectionsConfig(AppConfig):
    name = "collis.injections"
    verbose_name = "Botulinum toxin injections"

    def ready(self) -> None:
        from collis.injections import privacy
        from collis.patients.privacy import register_anonymiser, register_export_section

        register_export_section("injections", privacy.export_injections)
        register_anonymiser("injections", privacy.anonymise_injections)
