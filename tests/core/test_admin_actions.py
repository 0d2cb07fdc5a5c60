"""Every list action of the admin names the permission it needs: Django offers an action without
``permissions`` to whoever may view the list, and the organiser's admin is read-only."""

import pytest
from django.contrib import admin

pytestmark = pytest.mark.unit


def test_every_admin_action_names_the_permission_it_needs():
    unguarded = []
    for model, model_admin in admin.site._registry.items():
        for func, name, _description in model_admin._get_base_actions():
            if not getattr(func, "allowed_permissions", None):
                unguarded.append(f"{model._meta.label}.{name}")

    assert unguarded == []
