"""Home video check-ins between injections (issue #16): guided recording, per-segment analysis,
clinician review and the wearing-off curve. Clinical layer, above recordings."""
