"""Wording reused outside this app: the staff home's link to the personal-data requests
(label, description), for ``accounts.views.staff.staff_links``."""

from django.utils.translation import gettext_lazy as _

STAFF_LINK_LABEL = _("個人資料請求")
STAFF_LINK_DESCRIPTION = _(
    "當事人依個人資料保護法第3條提出之查詢或請求閱覽、製給複製本、補充或更正、"
    "停止蒐集、處理、利用或刪除請求。"
)
