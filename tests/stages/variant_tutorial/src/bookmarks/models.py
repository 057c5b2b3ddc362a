"""A bookmark and its rules."""

from dataclasses import dataclass


class InvalidBookmark(ValueError):
    pass


@dataclass
class Bookmark:
    id: int | None
    url: str
    title: str
    visits: int = 0


def check(url: str, title: str, visits: int) -> None:
    if not url.startswith(("http://", "https://")) or " " in url:
        raise InvalidBookmark(f"{url!r} is not a web address")
    if not title.strip():
        raise InvalidBookmark("a bookmark needs a title")
    if not 0 <= visits <= 1000:
        raise InvalidBookmark("visits must be between 0 and 1000")
