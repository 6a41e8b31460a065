"""Append-only trail of who read or changed which health record, when and from where."""
