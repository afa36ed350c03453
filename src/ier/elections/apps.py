from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "ier.elections"
    label = "elections"
    verbose_name = "Elections and registration deadlines"
