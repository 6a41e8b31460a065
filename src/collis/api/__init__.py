"""The JSON API (django-ninja): one NinjaAPI, each app contributes a Router."""
