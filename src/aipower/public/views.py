"""Public pages (placeholders, replaced by the public-site work)."""

from django.shortcuts import render


def home(request):
    return render(request, "core/base.html")


def announcements(request):
    return render(request, "core/base.html")


def announcement_detail(request, pk):
    return render(request, "core/base.html")


def guide(request):
    return render(request, "core/base.html")


def sitemap(request):
    return render(request, "core/base.html")
