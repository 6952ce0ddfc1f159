from django.urls import path

from ceasefire.fieldsync import pages, views

app_name = "fieldsync"

# The OpenRosa endpoints twice: under a phone's own token (`t/<token>/`, over HTTP or HTTPS),
# and bare, for an officer's username and password over HTTPS. Collect appends `formList` and
# `submission` to the server URL it is configured with.
OPENROSA = [
    ("formList", views.form_list, "form_list"),
    ("forms/<slug:form_id>.xml", views.form, "form"),
    ("forms/<slug:form_id>/manifest", views.manifest, "manifest"),
    ("forms/<slug:form_id>/media/<str:name>", views.media, "media"),
    ("submission", views.submission, "submission"),
]

urlpatterns = [
    *(path(route, view, name=name) for route, view, name in OPENROSA),
    *(
        path(f"t/<str:token>/{route}", view, name=f"device_{name}")
        for route, view, name in OPENROSA
    ),
    path("phones/", pages.devices, name="devices"),
    path("phones/<int:device_id>/revoke", pages.device_revoke, name="device_revoke"),
    path("quarantine/", pages.quarantine, name="quarantine"),
    path("quarantine/<int:submission_id>/", pages.quarantined, name="quarantined"),
    path("quarantine/<int:submission_id>/reprocess", pages.reprocess, name="reprocess"),
    path("quarantine/<int:submission_id>/reject", pages.reject, name="reject"),
]
