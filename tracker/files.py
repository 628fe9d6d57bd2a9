"""Attachments are served only through this view, after the same visibility check as tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from .models import Attachment, Task


@login_required
def download_attachment(request: HttpRequest, token: str) -> FileResponse:
    attachment = (
        Attachment.objects.filter(
            token=token, task__in=Task.objects.visible_to(request.user).values("pk")
        )
        .only("file", "original_name", "content_type")
        .first()
    )
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
