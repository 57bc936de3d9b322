"""Evidence: watchlists, figures, timeline, tags, findings with verified quotes, the report.

The package is imported by `readingroom.investigation` (for its schema), so this
file imports nothing: each part is its own module (`anchor`, `findings`, `report`,
`charts`, `watchlists`, `figures`, `timeline`, `exports`).
"""
