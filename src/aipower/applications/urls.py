"""The application wizard and the applicant's dashboard."""

app_name = "applications"

urlpatterns = []
