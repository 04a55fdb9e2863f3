from django.urls import path

from chibo.orgs import views

app_name = "orgs"

urlpatterns: list[object] = []
