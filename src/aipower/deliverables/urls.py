"""The company's deliverables pages (mounted at /deliverables/)."""

app_name = "deliverables"
urlpatterns = []
