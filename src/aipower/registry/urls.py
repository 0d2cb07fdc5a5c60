"""Staff pages of the company registry."""

app_name = "registry"

urlpatterns = []
