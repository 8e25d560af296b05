"""The "Report a problem" link of a record's page: only for registries with a category."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from reports.models import ReportCategory

register = template.Library()


@register.simple_tag
def report_problem_url(registry_id: str, public_id) -> str:
    """The report form about this record, or "" when no category routes to its registry."""
    if not ReportCategory.objects.filter(registry=registry_id, active=True).exists():
        return ""
    query = urlencode({"registry": registry_id, "record": str(public_id)})
    return f"{reverse('reports:new')}?{query}"


@register.simple_tag
def report_categories():
    """The active categories (code, title in the page's language), for the map's filter."""
    return [(c.code, c.title) for c in ReportCategory.objects.filter(active=True)]
