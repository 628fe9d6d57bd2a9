"""The one domain error. The admin, the pages and the API show its message as it is."""

from __future__ import annotations


class WorkflowError(Exception):
    """A step that is not allowed, or input the step cannot take. Nothing has been changed."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotPermitted(WorkflowError):
    """The person may not take this step on this task."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, code="not_permitted", field=field)
