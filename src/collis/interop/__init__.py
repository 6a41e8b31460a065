"""Interoperability: FHIR R4 (R4B 4.3 models from fhir.resources) and iCalendar.

``fhir/mappers.py`` turns plain records into FHIR JSON and imports nothing from Django;
``fhir/resources.py`` declares each served resource type (query, search parameters, mapper);
``fhir/views.py`` is the thin HTTP shell: authentication, paging, Bundles, OperationOutcome.
"""
