"""URLs of the gateway app."""

app_name = "gateway"

urlpatterns = []
