from django.urls import path

from ceasefire.registry import views

app_name = "registry"
urlpatterns = [
    path("items/", views.items, name="items"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/custody", views.custody_new, name="custody_new"),
    path("items/<int:item_id>/correct", views.correction_new, name="correction_new"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/new", views.receipt_new, name="receipt_new"),
    path("receipts/new/line", views.receipt_line, name="receipt_line"),
    path("receipts/<int:receipt_id>/", views.receipt, name="receipt"),
    path("receipts/<int:receipt_id>/pdf", views.receipt_pdf, name="receipt_pdf"),
    path("cosign/<int:index>", views.cosign, name="cosign"),
    path("keys/", views.keys, name="keys"),
    path("import/", views.import_page, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("reference/", views.reference, name="reference"),
]
