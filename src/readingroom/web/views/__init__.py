"""View modules: each exposes `router`; every module here is found by plugin discovery.

Helpers shared by views live outside this package (`readingroom.web.deps`)
or in modules named with a leading `_`, which discovery skips.
"""
