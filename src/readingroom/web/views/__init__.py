"""View modules; each exposes `router`, collected by `readingroom.web.app`."""
