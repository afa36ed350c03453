
app_name = "ero"

urlpatterns: list = []
