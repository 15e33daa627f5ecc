"""Exceptions raised by the crawler package."""


class NewsarchiveError(Exception):
    """Raised for any error newsarchive reports to the user with a one-line message."""


class SourcesError(NewsarchiveError):
    """Raised when a sources file cannot be read or one of its entries is invalid."""


class LockedError(NewsarchiveError):
    """Raised when another crawl holds the lock on the same archive."""
