app_name = "sponsored"
urlpatterns: list = []
