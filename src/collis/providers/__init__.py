"""Clinic, locations, specialties and the clinicians who treat cervical dystonia."""
