"""Requests, campaigns, deadlines, production letters and coverage.

`model` (events, status apart from resolution), `calendar` (working days),
`deadlines` (due dates and lateness, computed as of a day), `agencies` (the
agencies pack and its rules), `tracker` (the calls behind the CLI and the
pages), `letters` (what a letter says), `reconcile` (what it says against what
arrived), `coverage` (expected records × offices), `exchange` (CSV and ICS),
`logs` (agencies' published FOIA logs), `schema` (tables). Kept import-light:
the investigation imports `schema` from here.
"""
