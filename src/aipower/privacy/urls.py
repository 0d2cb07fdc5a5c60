"""The company's personal-data requests (mounted at /privacy/)."""

app_name = "privacy"
urlpatterns = []
