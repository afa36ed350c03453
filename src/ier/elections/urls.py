from django.urls import path

from ier.elections import views

app_name = "elections"

urlpatterns = [
    path("", views.elections_where_you_live, name="where_you_live"),
    path("am-i-registered/", views.am_i_registered, name="am_i_registered"),
]
