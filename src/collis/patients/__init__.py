"""Patient records: identity and contact here; clinical data lives in the clinical apps."""
