"""The calendar feed addresses: the feed itself, read by calendar applications without signing
in (the token is the secret), and the page where a person finds and renews their addresses."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User

from . import calendars
from .models import CalendarScope

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 300


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar of a live feed of an active person; anything else is a 404."""
    feed = calendars.feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(calendars.calendar_for(feed), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="lich-han.ics"'
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    # The address is a secret: never send it on as a referrer, never index it.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def scopes_for(user: User) -> list[CalendarScope]:
    """A person without a department has no department feed."""
    if user.department_id is None:
        return [CalendarScope.PERSONAL]
    return [CalendarScope.PERSONAL, CalendarScope.DEPARTMENT]


def _description(user: User, scope: CalendarScope) -> str:
    if scope == CalendarScope.PERSONAL:
        if calendars.is_department_head(user):
            return _("Hạn của các nhiệm vụ giao cho bạn, bạn phụ trách và do đơn vị bạn chủ trì.")
        return _("Hạn của các nhiệm vụ giao cho bạn hoặc bạn phụ trách.")
    return _("Hạn của mọi nhiệm vụ %(department)s chủ trì hoặc phối hợp.") % {
        "department": user.department.name
    }


@login_required
@require_http_methods(["GET", "POST"])
def calendars_page(request: HttpRequest) -> HttpResponse:
    """Lịch hạn nhiệm vụ: the person's feed addresses and a button to renew each."""
    user = request.user
    scopes = scopes_for(user)
    if request.method == "POST":
        try:
            scope = CalendarScope(request.POST.get("scope", ""))
        except ValueError:
            scope = None
        if scope not in scopes:
            messages.error(request, _("Không có lịch này."))
            return redirect("portal:calendars")
        calendars.feed_renew(user=user, scope=scope)
        messages.success(
            request,
            _("Đã đổi địa chỉ bí mật của lịch “%(scope)s”. Địa chỉ cũ không còn dùng được.")
            % {"scope": scope.label},
        )
        return redirect("portal:calendars")
    feeds: list[dict[str, Any]] = []
    for scope in scopes:
        feed = calendars.feed_get_or_create(user=user, scope=scope)
        url = calendars.feed_url(feed)
        feeds.append(
            {
                "scope": scope,
                "label": scope.label,
                "description": _description(user, scope),
                "url": url,
                "webcal_url": calendars.webcal_url(url),
                "created_at": feed.created_at,
            }
        )
    response = render(request, "portal/calendars.html", {"feeds": feeds})
    # The page shows secrets: keep it out of shared caches and the back-forward cache.
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    return response
