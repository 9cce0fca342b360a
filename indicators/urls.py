from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("indicators/<int:year>/<str:code>/", views.detail, name="detail"),
]
