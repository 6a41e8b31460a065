"""Botulinum-toxin products, lots, sessions and per-muscle injections; label checks."""
