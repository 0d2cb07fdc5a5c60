"""The wizard's pages against 02-forms.md and the programme document, as an applicant reads them."""

import pytest
from django.urls import reverse

from .test_views import step_url

pytestmark = pytest.mark.integration


def test_profile_says_the_second_contact_is_optional_and_what_it_then_needs(
    open_call, company_client
):
    company_client.get(reverse("applications:index"))

    content = company_client.get(step_url("profile")).content.decode()

    assert (
        '<p class="help" id="id_contact2_name_helptext">選填；填寫專案聯絡人(2)任一欄位時，'
        "姓名、一個聯絡電話（市話或行動電話）及電子信箱為必填</p>"
    ) in content
