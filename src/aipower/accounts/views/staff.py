"""Staff sign-in (placeholder views, replaced by the staff sign-in work)."""

from django.http import HttpResponse


def login_view(request):
    return HttpResponse("staff login")


def logout_view(request):
    return HttpResponse("staff logout")


def home(request):
    return HttpResponse("staff home")
