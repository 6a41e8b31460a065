"""Small shared modules every app may import: rate limits, upload checks. No app imports here."""
