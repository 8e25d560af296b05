"""The editing pages, under /edit/ (and /en/edit/)."""

from django.urls import path

from layers.editing import views

app_name = "editing"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:change_id>/approve/", views.change_approve, name="approve"),
    path("review/<int:change_id>/reject/", views.change_reject, name="reject"),
    path("changes/<int:change_id>/withdraw/", views.change_withdraw, name="withdraw"),
    path("<slug:registry>/", views.record_list, name="records"),
    path("<slug:registry>/new/", views.record_new, name="new"),
    path("<slug:registry>/features/", views.features, name="features"),
    path("<slug:registry>/check/", views.check, name="check"),
    path("<slug:registry>/<uuid:public_id>/", views.record_edit, name="record"),
    path("<slug:registry>/<uuid:public_id>/submit/", views.record_submit, name="submit"),
    path("<slug:registry>/<uuid:public_id>/archive/", views.record_archive, name="archive"),
    path("<slug:registry>/<uuid:public_id>/history/", views.record_history_view, name="history"),
    path(
        "<slug:registry>/<uuid:public_id>/history/<int:event_id>/restore/",
        views.record_restore,
        name="restore",
    ),
]
