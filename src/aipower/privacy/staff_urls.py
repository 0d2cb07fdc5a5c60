"""The operator's personal-data request pages (mounted at /staff/privacy/)."""

app_name = "privacy_staff"
urlpatterns = []
