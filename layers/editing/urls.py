"""The editing pages, under /edit/ (and /en/edit/)."""

from django.urls import path

from layers.editing.views import account, changes, editor, history, overview, review
from layers.imports import review_views as import_review
from layers.imports import views as imports

app_name = "editing"
urlpatterns = [
    path("", overview.dashboard, name="dashboard"),
    path("review/", review.review_queue, name="review"),
    path("api-token/", account.api_token, name="api-token"),
    path("review/<int:change_id>/approve/", review.change_approve, name="approve"),
    path("review/<int:change_id>/reject/", review.change_reject, name="reject"),
    path("changes/<int:change_id>/", changes.change_detail, name="change"),
    path("changes/<int:change_id>/withdraw/", review.change_withdraw, name="withdraw"),
    path("notifications/read/", changes.notifications_read, name="notifications-read"),
    path(
        "notifications/<int:notification_id>/read/",
        changes.notification_read,
        name="notification-read",
    ),
    # Bulk imports: before the registry routes, which would take "imports" for a registry.
    path("imports/<uuid:public_id>/", imports.import_job, name="import"),
    path("imports/<uuid:public_id>/reading/", imports.import_reading, name="import-reading"),
    path("imports/<uuid:public_id>/mapping/", imports.import_mapping, name="import-mapping"),
    path(
        "imports/<uuid:public_id>/mapping.json",
        imports.import_mapping_download,
        name="import-mapping-json",
    ),
    path("imports/<uuid:public_id>/check/", imports.import_check, name="import-check"),
    path("imports/<uuid:public_id>/commit/", imports.import_commit, name="import-commit"),
    path("imports/<uuid:public_id>/rollback/", imports.import_rollback, name="import-rollback"),
    path("imports/<uuid:public_id>/progress.json", imports.import_progress, name="import-progress"),
    path("imports/<uuid:public_id>/report.csv", imports.import_report_csv, name="import-csv"),
    path("imports/<uuid:public_id>/report.xlsx", imports.import_report_xlsx, name="import-xlsx"),
    path("imports/<uuid:public_id>/review/", import_review.import_review, name="import-review"),
    path(
        "imports/<uuid:public_id>/review/approve/",
        import_review.import_review_approve,
        name="import-approve",
    ),
    path(
        "imports/<uuid:public_id>/review/reject/",
        import_review.import_review_reject,
        name="import-reject",
    ),
    path("<slug:registry>/import/", imports.import_upload, name="import-upload"),
    path("<slug:registry>/", overview.record_list, name="records"),
    path("<slug:registry>/new/", editor.record_new, name="new"),
    path("<slug:registry>/features/", overview.features, name="features"),
    path("<slug:registry>/check/", overview.check, name="check"),
    path("<slug:registry>/<uuid:public_id>/", editor.record_edit, name="record"),
    path("<slug:registry>/<uuid:public_id>/submit/", editor.record_submit, name="submit"),
    path("<slug:registry>/<uuid:public_id>/archive/", editor.record_archive, name="archive"),
    path("<slug:registry>/<uuid:public_id>/history/", history.record_history_view, name="history"),
    path(
        "<slug:registry>/<uuid:public_id>/history/<int:event_id>/restore/",
        editor.record_restore,
        name="restore",
    ),
]
