"""Bookmarks: a small web API."""
