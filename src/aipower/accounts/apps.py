from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aipower.accounts"
    verbose_name = _("帳號與登入")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .idle import fix_sign_in_end

        user_logged_in.connect(fix_sign_in_end, dispatch_uid="aipower.accounts.sign_in_end")
