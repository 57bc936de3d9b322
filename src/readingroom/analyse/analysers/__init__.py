"""The built-in analysers: one module each, found by `readingroom.plugins.discover`.

Every module here exposes `ANALYSER`, an object satisfying
`readingroom.analyse.base.Analyser`, and may expose `MIGRATIONS` for tables
of its own; `readingroom.analyse.registry` checks both. Adding an analyser is
adding a module (see docs/analysers.md). Helpers shared by several analysers
belong in modules whose names start with `_`, which discovery skips.
"""
