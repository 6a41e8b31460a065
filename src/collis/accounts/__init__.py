"""Sign-in and roles: patient, front desk, clinician, clinic administrator."""
