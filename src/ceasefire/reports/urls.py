from django.urls import path

from ceasefire.reports import views

app_name = "reports"
urlpatterns = [
    path("public/", views.dashboard, name="dashboard"),
    path("public/reports/", views.report_list, name="list"),
    path("public/reports/<str:day>/", views.report, name="report"),
    path("public/reports/<str:day>/pdf", views.report_pdf, name="report_pdf"),
    path("public/export/<slug:dataset>.<slug:fmt>", views.public_export, name="public_export"),
    path("reports/daily/", views.draft, name="draft"),
    path("reports/export/<slug:dataset>.<slug:fmt>", views.export, name="export"),
]
