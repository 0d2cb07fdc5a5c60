"""The public pages against the real database: what they show comes from the configured call."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.models import Announcement, Call, Criterion

from .conftest import INFERENCE_OFFSETS, TRAINING_OFFSETS, roc

pytestmark = pytest.mark.integration

PUBLIC_PAGES = [
    "public:home",
    "public:announcements",
    "public:guide",
    "public:sitemap",
    "public:results",
]
NAV_LABELS = ["首頁", "環境檢測", "活動公告", "申請須知", "網站導覽", "線上申請"]
APPLY_BUTTON = "即刻申請算力需求"
NOT_OPEN = "目前非申請期間"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def page_text(response):
    return response.content.decode()


def next_batch_text(content, kind):
    """The text of the home page's next-batch line of category ``kind``."""
    match = re.search(
        rf'<dd class="next-batch" data-category="{kind}">\s*(.*?)\s*<small>', content, re.S
    )
    assert match, f"no next-batch line for {kind}"
    return html.unescape(match.group(1)).strip()


def section(content, start, end="</section>"):
    begin = content.index(start)
    return content[begin : content.index(end, begin)]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_responds_with_the_site_chrome(client, call_115, name):
    response = client.get(reverse(name))

    content = page_text(response)
    assert response.status_code == 200
    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    assert "aipower.service@twcloud.ai" in content


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_csp_and_no_inline_script_or_style(client, call_115, name):
    response = client.get(reverse(name))

    content = page_text(response)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert INLINE_SCRIPT.findall(content) == []
    assert INLINE_STYLE.findall(content) == []
    assert INLINE_HANDLER.findall(content) == []
    assert STYLE_ELEMENT.findall(content) == []


def test_public_page_responds_without_any_call(client, db):
    response = client.get(reverse("public:guide"))

    assert response.status_code == 200
    assert "目前尚無徵件資訊" in page_text(response)


def test_announcement_detail_responds(client, call_115):
    announcement = Announcement.objects.filter(is_published=True).first()

    response = client.get(reverse("public:announcement", args=[announcement.pk]))

    assert response.status_code == 200
    assert announcement.title_zh in page_text(response)


def test_nav_lists_the_pages_in_the_spec_order(client, call_115):
    content = page_text(client.get(reverse("public:home")))

    nav = section(content, '<nav id="site-nav"', "</nav>")
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert labels == NAV_LABELS


def test_nav_marks_the_current_page(client, call_115):
    content = page_text(client.get(reverse("public:guide")))

    nav = section(content, '<nav id="site-nav"', "</nav>")
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == [reverse("public:guide")]


def test_home_shows_the_deadline_in_roc_form(client, open_call):
    content = page_text(client.get(reverse("public:home")))

    closing_day = timezone.localtime(open_call.closes_at).date()
    assert f"{roc(closing_day)} 23:59" in content
    assert "115年度" in content


def test_home_shows_the_next_batch_per_category(client, open_call):
    today = timezone.localdate()

    content = page_text(client.get(reverse("public:home")))

    training_day = today + datetime.timedelta(days=TRAINING_OFFSETS[1])
    inference_day = today + datetime.timedelta(days=INFERENCE_OFFSETS[3])
    assert next_batch_text(content, "training") == f"第二梯次：{roc(training_day)}"
    assert next_batch_text(content, "inference") == f"第四梯次：{roc(inference_day)}"


def test_home_shows_the_apply_button_when_the_call_is_open(client, open_call):
    content = page_text(client.get(reverse("public:home")))

    assert f'href="{reverse("accounts:login")}">{APPLY_BUTTON}</a>' in content
    assert NOT_OPEN not in content


def test_home_shows_the_category_taglines(client, open_call):
    content = page_text(client.get(reverse("public:home")))

    assert "打造專屬AI，深耕核心能力" in content
    assert "降低導入門檻，快速驗證創意" in content


def test_home_hides_the_button_when_the_call_is_suspended(client, open_call):
    open_call.is_suspended = True
    open_call.save()

    content = page_text(client.get(reverse("public:home")))

    assert APPLY_BUTTON not in content
    assert NOT_OPEN in content
    assert "主辦單位已暫停收件" in content


def test_home_hides_the_button_after_the_call_closed(client, open_call):
    open_call.closes_at = timezone.now() - datetime.timedelta(days=1)
    open_call.save()

    content = page_text(client.get(reverse("public:home")))

    assert APPLY_BUTTON not in content
    assert NOT_OPEN in content
    assert "截止收件" in content


def test_home_hides_the_button_before_the_call_opens(client, open_call):
    open_call.opens_at = timezone.now() + datetime.timedelta(days=5)
    open_call.save()

    content = page_text(client.get(reverse("public:home")))

    opening_day = timezone.localtime(open_call.opens_at).date()
    assert APPLY_BUTTON not in content
    assert NOT_OPEN in content
    assert f"本計畫將於 {roc(opening_day)}" in content


def test_home_says_not_open_when_no_call_exists(client, db):
    content = page_text(client.get(reverse("public:home")))

    assert APPLY_BUTTON not in content
    assert NOT_OPEN in content


def test_home_lists_the_latest_three_announcements(client, call_115):
    Announcement.objects.all().delete()
    for day in range(1, 6):
        Announcement.objects.create(
            title_zh=f"公告{day}", body_zh="內容", published_on=datetime.date(2026, 6, day)
        )

    content = page_text(client.get(reverse("public:home")))

    assert re.findall(r'class="news-title"[^>]*>(公告\d)</a>', content) == [
        "公告5",
        "公告4",
        "公告3",
    ]


def guide_weights(content, category_name):
    table = section(content, f"<caption>{category_name}</caption>", "</table>")
    return [
        (name, int(weight))
        for name, weight in re.findall(
            r'<th scope="row">([^<]+)<progress[^>]*></progress></th>\s*<td class="num">(\d+)%</td>',
            table,
        )
    ]


def test_guide_shows_every_weight_from_the_data(client, call_115):
    content = page_text(client.get(reverse("public:guide")))

    for category in call_115.categories.all():
        expected = [(c.name_zh, c.weight) for c in category.criteria.order_by("order")]
        assert guide_weights(content, category.name_zh) == expected
    assert guide_weights(content, "模型訓練類")[0] == ("專案重要性", 30)
    assert guide_weights(content, "模型推論類")[0] == ("專案重要性", 25)


def test_guide_follows_a_weight_changed_in_the_database(client, call_115):
    criterion = Criterion.objects.get(category__call=call_115, category__kind="training", order=1)
    criterion.weight = 35
    criterion.save()

    content = page_text(client.get(reverse("public:guide")))

    assert guide_weights(content, "模型訓練類")[0] == (criterion.name_zh, 35)


def guide_batches(content, category_name):
    card = section(content, f"{category_name}各梯次預計審查日", "</ul>")
    return re.findall(r"<span>(第.+?梯次)：(\d+年\d\d月\d\d日)</span>", card)


def test_guide_shows_every_batch_review_date(client, call_115):
    content = page_text(client.get(reverse("public:guide")))

    assert guide_batches(content, "模型訓練類") == [
        ("第一梯次", "115年07月01日"),
        ("第二梯次", "115年09月01日"),
        ("第三梯次", "115年11月02日"),
    ]
    assert guide_batches(content, "模型推論類") == [
        ("第一梯次", "115年07月01日"),
        ("第二梯次", "115年07月21日"),
        ("第三梯次", "115年08月11日"),
        ("第四梯次", "115年09月01日"),
        ("第五梯次", "115年09月29日"),
        ("第六梯次", "115年11月02日"),
    ]


def test_guide_shows_the_points_table_with_derived_amounts(client, call_115):
    content = page_text(client.get(reverse("public:guide")))

    table = section(content, '<table class="table points-table">', "</table>")
    cells = re.findall(r"<td><strong>([^<]+)</strong><br><span[^>]*>([^<]+)</span></td>", table)
    assert cells == [
        ("1,000 點", "500 GPU 小時"),
        ("1,000 點", "1億個 Token"),
        ("2,000 點", "1,000 GPU 小時"),
        ("2,000 點", "2億個 Token"),
        ("6,000 點", "3,000 GPU 小時"),
        ("6,000 點", "6億個 Token"),
    ]
    assert "1 點 = 0.5 GPU 小時" in table
    assert "1 點 = 10萬個 Token（Input 或 Output）" in table
    assert "最小計量單位為 1,000個 Token" in table


def test_guide_shows_eligibility_period_terms_and_contact(client, call_115):
    content = page_text(client.get(reverse("public:guide")))

    assert "J582" in content and "第三方支付服務業" in content
    assert "107年01月01日（含）以後" in content
    assert "115年05月01日 00:00 起至 115年10月30日 23:59 截止" in content
    assert "執行各式虛擬貨幣的驗證計算" in content
    assert "(02) 2898-7447 分機 86539、86542" in content
    assert "週一至週五 9:00~18:00" in content


def test_announcements_list_newest_first_without_unpublished(client, db):
    Announcement.objects.create(
        title_zh="舊公告", body_zh="a", published_on=datetime.date(2026, 5, 1)
    )
    Announcement.objects.create(
        title_zh="新公告", body_zh="b", published_on=datetime.date(2026, 7, 1)
    )
    Announcement.objects.create(
        title_zh="草稿公告", body_zh="c", published_on=datetime.date(2026, 8, 1), is_published=False
    )

    content = page_text(client.get(reverse("public:announcements")))

    assert re.findall(r'class="news-title"[^>]*>([^<]+)</a>', content) == ["新公告", "舊公告"]
    assert "115年07月01日" in content


def test_announcement_detail_hides_an_unpublished_one(client, db):
    draft = Announcement.objects.create(
        title_zh="草稿公告", body_zh="c", published_on=datetime.date(2026, 8, 1), is_published=False
    )

    response = client.get(reverse("public:announcement", args=[draft.pk]))

    assert response.status_code == 404


def test_results_page_says_nothing_is_published_yet(client, call_115):
    content = page_text(client.get(reverse("public:results")))

    assert "目前尚未公布審查結果名單" in content


def test_sitemap_links_every_public_page(client, call_115):
    content = page_text(client.get(reverse("public:sitemap")))

    listed = re.findall(r'<li>\s*<a href="([^"]+)">', section(content, '<ul class="sitemap-list">'))
    assert set(listed) == {
        reverse(name) for name in [*PUBLIC_PAGES, "accounts:envcheck", "accounts:login"]
    }


def test_footer_shows_the_configured_contact(client, call_115):
    call_115.service_email = "help@example.gov.tw"
    call_115.save()

    content = page_text(client.get(reverse("public:sitemap")))

    footer = section(content, '<footer class="site-footer">', "</footer>")
    assert 'href="mailto:help@example.gov.tw"' in footer
    assert "台灣智慧雲端服務股份有限公司" in footer
    assert "週一至週五 9:00~18:00" in footer


def test_footer_falls_back_without_a_call(client, db):
    content = page_text(client.get(reverse("public:sitemap")))

    footer = section(content, '<footer class="site-footer">', "</footer>")
    assert "mailto:" not in footer
    assert "數位發展部數位產業署" in footer


def test_english_via_cookie(client, open_call):
    client.cookies["django_language"] = "en"

    content = page_text(client.get(reverse("public:home")))

    assert '<html lang="en" ' in content
    assert "Embrace the future of compute" in content
    assert "Apply for compute now" in content
    assert "Administration for Digital Industries, moda" in content
    assert "Taiwan Web Service Corporation (TWSC)" in content
    assert re.search(r"Batch 2: \d{4}-\d\d-\d\d", next_batch_text(content, "training"))


def test_english_via_set_language_then_back(client, call_115):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("public:guide")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("public:guide")

    english = page_text(client.get(reverse("public:guide")))
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    chinese = page_text(client.get(reverse("public:guide")))

    assert "Application guide" in english
    assert "Review criteria" in english
    assert "Project importance" in english
    assert "審查重點" in chinese
    assert '<html lang="zh-Hant-TW" ' in chinese


def test_language_switch_marks_the_active_language(client, call_115):
    content = page_text(client.get(reverse("public:home")))

    form = section(content, '<form class="lang-switch"', "</form>")
    assert 'name="csrfmiddlewaretoken"' in form
    assert re.findall(r'value="([^"]+)"[^>]*aria-pressed="true"', form) == ["zh-hant"]


def test_header_shows_the_company_and_a_logout_form(client, call_115, django_user_model):
    from aipower.accounts.models import Company

    company = Company.objects.create(ubn="04595257", name="示範科技股份有限公司")
    user = django_user_model.objects.create(username="c04595257", company=company)
    client.force_login(user)

    content = page_text(client.get(reverse("public:home")))

    header = section(content, '<header class="site-header">', "</header>")
    assert "示範科技股份有限公司" in header
    assert f'method="post" action="{reverse("accounts:logout")}"' in header


def test_header_links_staff_home_for_staff(client, call_115, django_user_model):
    user = django_user_model.objects.create(username="op", role="operator")
    client.force_login(user)

    content = page_text(client.get(reverse("public:home")))

    header = section(content, '<header class="site-header">', "</header>")
    assert f'href="{reverse("staff:home")}"' in header


def test_current_call_in_the_footer_is_the_open_one(client, open_call):
    Call.objects.create(
        year=116,
        title_zh="116年度",
        opens_at=timezone.now() + datetime.timedelta(days=300),
        closes_at=timezone.now() + datetime.timedelta(days=400),
        startup_founded_on_or_after=datetime.date(2019, 1, 1),
        organiser_zh="主辦",
        executor_zh="另一執行單位",
        service_email="other@example.gov.tw",
        service_phone_zh="02",
        service_hours_zh="平日",
    )

    content = page_text(client.get(reverse("public:home")))

    assert "aipower.service@twcloud.ai" in content
    assert "other@example.gov.tw" not in content


def test_guide_in_english_lists_the_batches_with_english_punctuation(client, call_115):
    client.cookies["django_language"] = "en"

    content = page_text(client.get(reverse("public:guide")))

    card = section(content, "Model training: planned review dates", "</ul>")
    assert re.findall(r"<span>(Batch \d): (\d{4}-\d\d-\d\d)</span>", card) == [
        ("Batch 1", "2026-07-01"),
        ("Batch 2", "2026-09-01"),
        ("Batch 3", "2026-11-02"),
    ]


def test_favicon_ico_leads_to_the_icon_the_pages_name(client, db):
    page = client.get(reverse("public:home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)

    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, icon)
