"""SMART App Launch 2.0 and Backend Services on django-oauth-toolkit (see README, "SMART")."""
