"""The development server's ASGI app (``manage.py rundemo``): production's layout — the
gateway's lean app on ``/v1`` beside Django (``aipower.asgi``) — with Django's static-files
handler in front of the site, as runserver has it. Under uvicorn a streamed answer arrives token
by token and a client's disconnect is seen, as in production.

Only importable where the devtools are installed (development and test settings).
"""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from aipower.asgi import beside_gateway, django_application

application = beside_gateway(ASGIStaticFilesHandler(django_application))
