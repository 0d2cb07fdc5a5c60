"""``/v1/``: the OpenAI-compatible inference API (mounted by the project's urls)."""

from django.urls import path

from . import views

app_name = "gateway"

urlpatterns = [
    path("models", views.models, name="models"),
    path("models/<path:model>", views.model, name="model"),
    path("chat/completions", views.chat_completions, name="chat"),
    path("completions", views.completions, name="completions"),
    path("embeddings", views.embeddings, name="embeddings"),
]
