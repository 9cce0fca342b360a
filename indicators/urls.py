from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("indicators/<int:year>/<code:code>/", views.detail, name="detail"),
]
