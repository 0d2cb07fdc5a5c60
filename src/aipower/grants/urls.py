"""URLs of the grants app."""

app_name = "grants"

urlpatterns = []
