"""Symptom diary and home programme with adherence check-offs."""
