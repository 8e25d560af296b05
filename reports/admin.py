from django.contrib import admin

from reports.models import ReportCategory


@admin.register(ReportCategory)
class ReportCategoryAdmin(admin.ModelAdmin):
    """Categories are data: ``data/reports/categories.toml`` seeds them, the admin edits."""

    list_display = ("code", "registry", "title_uk", "title_en", "anonymous_allowed", "active")
    list_filter = ("registry", "active", "anonymous_allowed")
    search_fields = ("code", "title_uk", "title_en", "service_code")
