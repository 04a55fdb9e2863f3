from django.urls import path

from chibo.workbook import views

app_name = "workbook"

urlpatterns = [
    path("", views.import_page, name="import_page"),
    path("template.xlsx", views.template_download, name="template"),
    path("upload/", views.import_upload, name="import_upload"),
    path("<int:record_id>/", views.import_detail, name="import_detail"),
    path("<int:record_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:record_id>/recheck/", views.import_recheck, name="import_recheck"),
    path("<int:record_id>/errors.xlsx", views.import_errors_xlsx, name="import_errors"),
    path("export/<int:org_id>.xlsx", views.org_export, name="org_export"),
]
