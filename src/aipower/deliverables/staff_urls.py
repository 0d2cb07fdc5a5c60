"""The operator's deliverables pages (mounted at /staff/deliverables/)."""

app_name = "deliverables_staff"
urlpatterns = []
