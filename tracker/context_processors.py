from __future__ import annotations

from django.http import HttpRequest

from accounts.roles import Role

from .models import Notification


def portal(request: HttpRequest) -> dict[str, object]:
    """The unread count in the header: one COUNT on an indexed column, on pages that ask."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    def overview() -> bool:
        return user.sees_every_department or user.has_role(Role.DEPARTMENT_HEAD)

    # Evaluated only if a template reads them (the admin's pages do not).
    return {"unread_notifications": unread, "sees_overview": overview}
