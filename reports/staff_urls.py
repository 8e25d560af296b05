from django.urls import path

from reports.views import staff

app_name = "reports_staff"
urlpatterns = [
    path("", staff.report_queue, name="queue"),
    path("<int:report_id>/", staff.report_staff_detail, name="detail"),
    path("<int:report_id>/moderate/", staff.report_moderate_view, name="moderate"),
    path("<int:report_id>/answer/", staff.report_answer_view, name="answer"),
    path("<int:report_id>/change/", staff.report_change_view, name="change"),
]
