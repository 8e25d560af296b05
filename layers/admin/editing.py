"""The editing workflow's notifications in the admin: a read-only list, for finding out
who was told what. They are made by the decisions and marked read on the editing
dashboard, through the services."""

from django.contrib import admin

from layers.admin.base import ReadOnlyAdmin
from layers.editing.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "subject", "reviewer", "read_at")
    list_filter = ("kind", "registry", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("subject", "recipient__username", "comment")
    list_select_related = ("recipient", "reviewer")
    raw_id_fields = ("change", "import_job")
