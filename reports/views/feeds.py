"""Atom feeds of published reports: per category, and per area (a circle: ``near=lat,lon``
and ``radius`` in metres) — Django's syndication framework. Entries carry the category, the
state and the description; never the reporter."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from layers.selectors.map_filters import MapFilterError
from reports.models import ReportCategory
from reports.selectors import area_parse, reports_public, within

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


class AreaFeed(_ReportFeed):
    def get_object(self, request):
        return area_parse(request.GET.get("near", ""), request.GET.get("radius", ""))

    def title(self, obj):
        return _("Reports within %(radius)s m of %(lat).5f, %(lon).5f") % {
            "radius": obj.radius_m,
            "lat": obj.centre.y,
            "lon": obj.centre.x,
        }

    def items(self, obj):
        return within(reports_public(), obj).order_by("-created_at")[:FEED_SIZE]


_category_feed, _area_feed = CategoryFeed(), AreaFeed()


@require_safe
def category_feed(request, code: str):
    return _category_feed(request, code=code)


@require_safe
def area_feed(request):
    try:
        area_parse(request.GET.get("near", ""), request.GET.get("radius", ""))
    except MapFilterError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    return _area_feed(request)
