from django.urls import path

from chibo.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.org_tree, name="org_tree"),
    path("<int:org_id>/", views.org_detail, name="org_detail"),
]
