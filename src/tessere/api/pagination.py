"""Page-number pagination with a bounded page number.

Ninja's own class accepts any page number; a huge one overflows the database's OFFSET (a 500
on PostgreSQL). Past one million pages the request is refused as invalid (422) instead.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
