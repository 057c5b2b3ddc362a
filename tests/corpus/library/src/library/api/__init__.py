"""The catalog over HTTP: readers log in, then keep the catalog."""
