"""What the participation views share: constants, error handling, lookups."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError, NotFound
from tessere.core.errors import PermissionDenied as DomainPermissionDenied
from tessere.participation import selectors
from tessere.participation.models import Contribution, Table

CONTRIBUTIONS_PER_PAGE = 20
MEETINGS_ON_TABLE_PAGE = 10
MEETINGS_PER_PAGE = 25
SCORING_PER_PAGE = 20
RANKING_PER_PAGE = 50


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "participation/error.html",
        {"title": _("Azione non consentita"), "reason": reason},
        status=403,
    )


def domain_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """NotFound → 404, PermissionDenied → 403 page, other DomainError → 400 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except DomainPermissionDenied as error:
            return _forbidden(request, error.message)
        except DomainError as error:
            return render(
                request,
                "participation/error.html",
                {
                    "title": _("Richiesta non valida"),
                    "reason": error.message,
                    "details": error.details,
                },
                status=400,
            )

    return wrapper


def _table(request: HttpRequest, code: str, table_id: int) -> Table:
    district = selectors.get_district(code)
    return selectors.get_table(actor=request.user, district=district, table_id=table_id)


def _table_url(table: Table) -> str:
    return reverse("participation:table", args=[table.district.code, table.pk])


def _contribution_url(request: HttpRequest, contribution: Contribution) -> str:
    return request.build_absolute_uri(
        reverse(
            "participation:contribution",
            args=[contribution.table.district.code, contribution.table_id, contribution.pk],
        )
    )


def _form_error(form: Any, error: DomainError) -> None:
    form.add_error(None, error.message)
    for detail in error.details:
        form.add_error(None, detail)
