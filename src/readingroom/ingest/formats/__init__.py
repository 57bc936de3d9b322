"""The built-in file formats: one module per format family, each exporting `EXTRACTORS`.

`readingroom.ingest.registry` imports every module here (see
`readingroom.plugins.discover`), so adding a format is adding a module to
this package; a module that fails to import stops ingest with its name.
"""
