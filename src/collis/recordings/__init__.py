"""Posture recordings in the clinic: photo/video uploads on a visit, the background analysis job,
result pages with charts, and the hooks other apps read (TWSTRS suggestions, record charts).

The measuring itself is ``collis.posture`` (pure); this app only stores, guards, audits and
displays. Imports point inward: views → actions/access → models; ``presentation`` is pure.
"""
