"""Business-certificate login (placeholder views, replaced by the card-login work)."""

from django.http import HttpResponse


def envcheck(request):
    return HttpResponse("envcheck")


def login_page(request):
    return HttpResponse("login")


def new_challenge(request):
    return HttpResponse("challenge")


def verify(request):
    return HttpResponse("verify")


def company(request):
    return HttpResponse("company")


def logout_view(request):
    return HttpResponse("logout")
