"""Private notes behind a JSON API, with accounts."""
