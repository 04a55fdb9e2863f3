from django.urls import path

from chibo.plans import views

app_name = "plans"

urlpatterns: list[object] = []
