"""Atom feeds of published reports: per category, and per area — a circle (``near=lat,lon``
and ``radius`` in metres) or a settlement of the hromada (``settlement=<key>``, the polygons
of ``sdg.Settlement``) — Django's syndication framework. Entries carry the category, the
state and the description; never the reporter.

A settlement's feed is the feed twin of following the settlement by email: the same
settlements (those the alert form offers) and the same rule for "in the settlement" as the
mail of a newly published report (``reports.notify.published``: the report's point
intersects the polygon, so a point on a border belongs to both sides)."""

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.selectors.map_filters import MapFilterError
from reports.models import ReportCategory
from reports.selectors import Area, area_parse, followable_settlements, reports_public, within

FEED_SIZE = 50


class _ReportFeed(Feed):
    feed_type = Atom1Feed

    def link(self, obj):
        return reverse("reports:list")

    def item_title(self, item):
        return f"#{item.pk} {item.category.title} — {item.get_state_display()}"

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return reverse("reports:detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class CategoryFeed(_ReportFeed):
    def get_object(self, request, code):
        return get_object_or_404(ReportCategory, code=code)

    def title(self, obj):
        return _("Reports: %(category)s") % {"category": obj.title}

    def items(self, obj):
        return reports_public().filter(category=obj).order_by("-created_at")[:FEED_SIZE]


SETTLEMENT_KEY_MAX = 40  # sdg.Settlement.key


class AreaError(Exception):
    pass


def area_of(get):
    """The area a feed's query names: a settlement or a circle; ``AreaError`` (its message
    for the reader) when the parameters name neither, both, or nothing that exists."""
    key = get.get("settlement", "")
    if not key:
        try:
            return area_parse(get.get("near", ""), get.get("radius", ""))
        except MapFilterError as error:
            raise AreaError(str(error)) from None
    if "near" in get or "radius" in get:
        raise AreaError(_("Give either a settlement or near and radius, not both."))
    settlement = None
    if len(key) <= SETTLEMENT_KEY_MAX:  # (a NUL never reaches here: layers.inputs)
        settlement = followable_settlements().filter(key=key).first()
    if settlement is None:
        raise AreaError(_("settlement: no settlement of the hromada has this key."))
    return settlement


def in_settlement(queryset: QuerySet, settlement) -> QuerySet:
    return queryset.filter(geom__intersects=settlement.geom)


class AreaFeed(_ReportFeed):
    def get_object(self, request):
        return area_of(request.GET)

    def title(self, obj):
        if isinstance(obj, Area):
            return _("Reports within %(radius)s m of %(lat).5f, %(lon).5f") % {
                "radius": obj.radius_m,
                "lat": obj.centre.y,
                "lon": obj.centre.x,
            }
        name = obj.name_en if translation.get_language() == "en" else obj.name_uk
        return _("Reports in %(settlement)s") % {"settlement": name}

    def items(self, obj):
        if isinstance(obj, Area):
            reports = within(reports_public(), obj)
        else:
            reports = in_settlement(reports_public(), obj)
        return reports.order_by("-created_at")[:FEED_SIZE]


_category_feed, _area_feed = CategoryFeed(), AreaFeed()


@require_safe
def category_feed(request, code: str):
    return _category_feed(request, code=code)


@require_safe
def area_feed(request):
    try:
        area_of(request.GET)
    except AreaError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return _area_feed(request)
