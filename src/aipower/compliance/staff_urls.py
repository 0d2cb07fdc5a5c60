"""The operator's compliance pages (mounted at /staff/compliance/)."""

app_name = "compliance"
urlpatterns = []
