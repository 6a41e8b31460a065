from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "collis.supply"
    verbose_name = "Toxin supply and paperwork"

    def ready(self) -> None:
        from collis.lib import booking_checks
        from collis.supply.checks import authorisation_booking_check

        booking_checks.register("supply.prior_authorisation", authorisation_booking_check)
