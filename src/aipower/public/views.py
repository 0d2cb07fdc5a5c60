"""The public site: home, announcements, the application guide, the site map, published results.

Every page reads the configured call (``Call.current()``); nothing about a programme year is
written into the templates. The one exception is 公告名單 (published results): it lists the results
of every call that published any, newest programme year first, so a year's results stay public
while that year's awards run after the next year's call has been created.
"""

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from aipower.calls.enums import TextKey
from aipower.calls.models import Announcement, Call

from . import presenters

ANNOUNCEMENTS_PER_PAGE = 10
HOME_ANNOUNCEMENTS = 3


def published_announcements():
    return Announcement.objects.filter(is_published=True).order_by("-published_on", "-id")


@require_safe
def favicon(request):
    """The site's icon where a browser asks for it unbidden: on what is not one of our pages (a
    PDF, a CSV, JSON), which carries no ``<link rel="icon">``; Chrome logged a 404 there."""
    return redirect(static("core/img/logo.svg"), permanent=True)


@require_safe
def home(request):
    now = timezone.now()
    call = Call.current(now)
    status = presenters.call_status(call, now)
    return render(
        request,
        "public/home.html",
        {
            "call": call,
            "status": status,
            "categories": presenters.category_views(call, now) if call else [],
            "announcements": published_announcements()[:HOME_ANNOUNCEMENTS],
        },
    )


@require_safe
def announcements(request):
    page = Paginator(published_announcements(), ANNOUNCEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "public/announcements.html", {"page": page})


@require_safe
def announcement_detail(request, pk):
    announcement = get_object_or_404(published_announcements(), pk=pk)
    return render(request, "public/announcement_detail.html", {"announcement": announcement})


@require_safe
def guide(request):
    now = timezone.now()
    call = Call.current(now)
    context = {"call": call}
    if call is not None:
        categories = presenters.category_views(call, now)
        texts = {text.key: text for text in call.texts.all()}
        context.update(
            status=presenters.call_status(call, now),
            categories=categories,
            industries=presenters.industries(call),
            points_rows=presenters.points_table(call, categories),
            eligibility=texts.get(TextKey.ELIGIBILITY),
            terms=texts.get(TextKey.TERMS),
            obligations=texts.get(TextKey.OBLIGATIONS),
            next_steps=texts.get(TextKey.NEXT_STEPS),
            models=call.models.filter(enabled=True, prohibited=False),
        )
    return render(request, "public/guide.html", context)


SITEMAP = [
    ("public:home", _("首頁"), _("計畫簡介、目前收件狀態、各類別下一梯次審查日期與最新公告。")),
    (
        "accounts:envcheck",
        _("環境檢測"),
        _("登入前檢查作業系統、瀏覽器、Cookie、跨平台網頁讀卡元件、讀卡機及憑證IC卡與系統時間。"),
    ),
    (
        "public:announcements",
        _("活動公告"),
        _("執行單位發布的最新消息與活動資訊，依日期由新到舊排列。"),
    ),
    (
        "public:guide",
        _("申請須知"),
        _("申請類別、申請資格、申請時間與審查梯次、審查重點與權重、點數說明、使用規範及聯絡窗口。"),
    ),
    (
        "public:results",
        _("公告名單"),
        _("各梯次審查通過之企業名單（公司名稱、申請類別、核定級別）。"),
    ),
    ("public:sitemap", _("網站導覽"), _("本網站所有公開頁面及其用途。")),
    (
        "accounts:login",
        _("線上申請"),
        _("以工商憑證卡登入，填寫、送出、檢視或更新算力平台使用申請書。"),
    ),
]


@require_safe
def sitemap(request):
    return render(request, "public/sitemap.html", {"entries": SITEMAP})


@require_safe
def results(request):
    """公告名單: the approved companies of each batch whose list the organiser approved, for every
    call that published any (newest programme year first). One query per programme year and two
    for all the batches' headings, however many batches and companies were published."""
    from aipower.review.services import published_awards

    calls = []
    for call in Call.objects.order_by("-year"):
        groups = []
        for award in published_awards(call):
            batch = award.application.batch
            if not groups or groups[-1]["batch"] != batch:
                # 「第一梯次」, as the guide and the home page name the batch.
                label = presenters.batch_label(batch.number)
                groups.append({"batch": batch, "label": label, "awards": []})
            groups[-1]["awards"].append(award)
        if groups:
            calls.append({"call": call, "groups": groups})
    # Each heading names its batch's category and approval date: read for every batch at once.
    prefetch_related_objects(
        [group["batch"] for published in calls for group in published["groups"]],
        "category",
        "review",
    )
    return render(request, "public/results.html", {"calls": calls})
