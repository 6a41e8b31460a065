"""Shared pure helpers with one concept per module (no Django imports)."""
