"""Services that write directives (văn bản chỉ đạo) and their chains."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .errors import NotPermitted, WorkflowError
from .models import Directive, Event, EventKind

DIRECTIVE_FIELDS = (
    "kind",
    "symbol",
    "issuer",
    "issue_date",
    "signer",
    "summary",
    "full_text",
    "file",
    "leader_in_charge",
)


def _check_office(actor: User) -> None:
    if not actor.is_office:
        raise NotPermitted(_("Chỉ văn phòng theo dõi được nhập và sửa văn bản chỉ đạo."))


def _validated(directive: Directive) -> None:
    try:
        directive.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise WorkflowError(
            " ".join(messages), field=None if field == "__all__" else field
        ) from None


def _check_chain(directive: Directive, implements: list[Directive]) -> None:
    """A directive cannot implement itself or one of the documents that implement it."""
    if directive.pk is None:
        return
    below: set[int] = set()
    frontier = {directive.pk}
    while frontier:
        below |= frontier
        frontier = (
            set(
                Directive.implements.through.objects.filter(
                    to_directive_id__in=frontier
                ).values_list("from_directive_id", flat=True)
            )
            - below
        )
    loops = [d for d in implements if d.pk in below]
    if loops:
        raise WorkflowError(
            _("%(doc)s đang triển khai văn bản này (trực tiếp hoặc gián tiếp); không thể tạo vòng.")
            % {"doc": loops[0]},
            field="implements",
        )


def _save(directive: Directive) -> None:
    try:
        with transaction.atomic():
            directive.save()
    except IntegrityError:
        raise WorkflowError(
            _("Đã có văn bản cùng cơ quan ban hành, số ký hiệu và ngày ban hành."),
            code="duplicate",
            field="symbol",
        ) from None


def directive_create(
    *,
    actor: User,
    implements: Iterable[Directive] = (),
    at: dt.datetime | None = None,
    **fields: Any,
) -> Directive:
    """Enter a directive; ``at`` is only for loading history (demo data, past records)."""
    _check_office(actor)
    unknown = set(fields) - set(DIRECTIVE_FIELDS)
    if unknown:
        raise ValueError(f"directive_create does not take {sorted(unknown)}")
    implements = list(implements)
    directive = Directive(created_by=actor, **fields)
    _validated(directive)
    with transaction.atomic():
        _save(directive)
        directive.implements.set(implements)
        Event.objects.create(
            directive=directive,
            kind=EventKind.DIRECTIVE_CREATED,
            actor=actor,
            at=at or timezone.now(),
            changes={"implements": [None, [str(d) for d in implements]]} if implements else {},
        )
    return directive


def directive_update(
    *,
    directive: Directive | int,
    actor: User,
    implements: Iterable[Directive] | None = None,
    **changes: Any,
) -> Directive:
    _check_office(actor)
    unknown = set(changes) - set(DIRECTIVE_FIELDS)
    if unknown:
        raise ValueError(f"directive_update cannot change {sorted(unknown)}")
    pk = directive if isinstance(directive, int) else directive.pk
    with transaction.atomic():
        directive = Directive.objects.select_for_update().get(pk=pk)
        diff: dict[str, list[Any]] = {}
        for field, value in changes.items():
            old = getattr(directive, field)
            if old != value:
                setattr(directive, field, value)
                diff[field] = [str(old) if old is not None else None, str(value)]
        _validated(directive)
        if implements is not None:
            implements = list(implements)
            _check_chain(directive, implements)
            before = sorted(str(d) for d in directive.implements.all())
            after = sorted(str(d) for d in implements)
            if before != after:
                directive.implements.set(implements)
                diff["implements"] = [before, after]
        if not diff:
            return directive
        _save(directive)
        Event.objects.create(
            directive=directive,
            kind=EventKind.DIRECTIVE_EDITED,
            actor=actor,
            at=timezone.now(),
            changes=diff,
        )
    return directive


def directive_chain(directive: Directive) -> list[Directive]:
    """The documents this one implements, nearest first, up to the top (45-NQ/TW)."""
    chain: list[Directive] = []
    seen = {directive.pk}
    frontier = [directive]
    while frontier:
        parents = [
            d
            for d in Directive.objects.filter(implemented_by__in=frontier)
            .distinct()
            .order_by("-issue_date")
            if d.pk not in seen
        ]
        seen |= {d.pk for d in parents}
        chain.extend(parents)
        frontier = parents
    return chain


# --- Choosing a directive in a filter --------------------------------------------------------

# A city files thousands of directives: a filter lists the most recent and finds the others by
# search (portal:directive_options), instead of a <select> of every one of them, which took
# two seconds to render at 10,000 directives (bench/README.md, "Performance").
DIRECTIVE_CHOICES = 50


def search_directives(directives: QuerySet[Directive], text: str) -> tuple[list[Directive], bool]:
    """Directives whose number or summary contains ``text``, newest first (one query)."""
    text = text.strip()
    if text:
        directives = directives.filter(Q(symbol__icontains=text) | Q(summary__icontains=text))
    found = list(directives.order_by("-issue_date", "-id")[: DIRECTIVE_CHOICES + 1])
    return found[:DIRECTIVE_CHOICES], len(found) > DIRECTIVE_CHOICES


def offered_directives(directives: QuerySet[Directive], chosen: str | None) -> list[Directive]:
    """The newest directives for a filter's list, and the chosen one if it is older."""
    shown, _more = search_directives(directives, "")
    if chosen and chosen.isdigit() and all(str(d.pk) != chosen for d in shown):
        shown += list(directives.filter(pk=int(chosen)))
    return shown
