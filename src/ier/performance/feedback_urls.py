from django.urls import path

from ier.performance import feedback

app_name = "feedback"

urlpatterns = [
    path("", feedback.feedback_form, name="form"),
    path("thank-you/", feedback.thanks, name="thanks"),
]
