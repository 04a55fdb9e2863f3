from django.urls import path

from chibo.documents import views
from chibo.documents.kinds import KINDS

app_name = "documents"

# Each download is named after its document kind (chibo.documents.kinds), so that menus can
# link any kind by its code.
urlpatterns = [
    *[
        path(
            f"{kind.subject.collection}/<int:subject_id>/{kind.address}",
            views.document_download,
            {"kind": kind.code},
            name=kind.code,
        )
        for kind in KINDS.values()
    ],
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/start/", views.job_start, name="job_start"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/download", views.job_download, name="job_download"),
]
