"""Domain errors: raised by services with a message the user can read."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A rule of the domain was broken; ``message`` is shown to the user (translated)."""

    status_code = 400

    def __init__(self, message: str, *, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"- {d}" for d in self.details)


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403
