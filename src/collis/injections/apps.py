from django.apps import AppConfig


class InjectionsConfig(AppConfig):
    name = "collis.injections"
    verbose_name = "Botulinum toxin injections"

    def ready(self) -> None:
        from collis.accounts.privacy import register_anonymiser, register_export_section
        from collis.injections import privacy

        register_export_section("injections", privacy.export_injections)
        register_anonymiser("injections", privacy.anonymise_injections)
