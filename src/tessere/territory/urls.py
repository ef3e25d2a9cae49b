from django.urls import path

from tessere.territory import views

app_name = "territory"

urlpatterns = [
    path("", views.district_list, name="district_list"),
    path("<slug:code>/", views.district_detail, name="district_detail"),
]
