"""Publishing safely: find private people's identifiers, redact for real, verify by re-reading."""
