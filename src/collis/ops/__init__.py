"""Operations: health and readiness probes, backups and restores, and the audit-log pages.

On the top floor: it may import any app (the audit page uses ``accounts`` guards over the
``audit`` trail); no app imports it.
"""
