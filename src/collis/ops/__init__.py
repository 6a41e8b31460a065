"""Operations: health and readiness probes, backups and restores."""
