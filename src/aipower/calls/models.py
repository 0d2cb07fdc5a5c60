"""The programme's configuration as data: a call (one programme year), its categories,
batches, tiers, review criteria, model catalogue, texts and announcements.

Nothing here is hard-coded elsewhere: next year's call is new rows, not new code.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aipower.core.i18n import chinese_numeral

from .enums import ADMITTED_LEGAL_FORMS, CategoryKind, FormPage, TextKey, TokenRounding


def default_legal_forms():
    return list(ADMITTED_LEGAL_FORMS)


class Call(models.Model):
    year = models.PositiveSmallIntegerField(_("計畫年度（民國）"), unique=True)
    title_zh = models.CharField(_("名稱（中文）"), max_length=200)
    title_en = models.CharField(_("名稱（英文）"), max_length=200, blank=True)
    programme_zh = models.CharField(_("計畫名稱（中文）"), max_length=200, blank=True)
    programme_en = models.CharField(_("計畫名稱（英文）"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("開始收件"))
    closes_at = models.DateTimeField(_("截止收件"))
    is_suspended = models.BooleanField(
        _("暫停收件"), default=False, help_text=_("主辦單位得隨時暫停或終止本活動")
    )
    validity_months = models.PositiveSmallIntegerField(_("免費使用期間（月）"), default=3)
    deliverables_days = models.PositiveSmallIntegerField(_("成果繳交期限（日曆天）"), default=30)
    startup_founded_on_or_after = models.DateField(_("新創優先資格：設立日期起"))
    # Eligible industries, e.g.
    # [{"code": "J582", "name_zh": "軟體出版業", "name_en": "...", "prefixes": ["5820"]}]
    industries = models.JSONField(_("符合資格之行業"), default=list)
    admitted_legal_forms = models.JSONField(
        _("受理之組織別"),
        default=default_legal_forms,
        help_text=_('稅籍登記資料之組織別名稱，清單，如 ["有限公司", "股份有限公司"]。'),
    )
    token_rounding = models.CharField(
        _("Token 計量進位方式"),
        max_length=20,
        choices=TokenRounding.choices,
        default=TokenRounding.RUNNING_TOTAL,
    )
    organiser_zh = models.CharField(_("主辦單位"), max_length=200)
    organiser_en = models.CharField(_("主辦單位（英文）"), max_length=200, blank=True)
    executor_zh = models.CharField(_("執行單位"), max_length=200)
    executor_en = models.CharField(_("執行單位（英文）"), max_length=200, blank=True)
    co_organisers_zh = models.TextField(_("協辦單位"), blank=True)
    co_organisers_en = models.TextField(_("協辦單位（英文）"), blank=True)
    service_email = models.EmailField(_("申請客服信箱"))
    service_phone_zh = models.CharField(_("申請諮詢專線"), max_length=200)
    service_phone_en = models.CharField(_("申請諮詢專線（英文）"), max_length=200, blank=True)
    service_hours_zh = models.CharField(_("申請諮詢服務時間"), max_length=200)
    service_hours_en = models.CharField(_("申請諮詢服務時間（英文）"), max_length=200, blank=True)
    site_url = models.URLField(_("申請網址"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("徵件")
        verbose_name_plural = _("徵件")

    def __str__(self):
        return self.title_zh

    def clean(self):
        super().clean()
        problem = industries_problem(self.industries)
        if problem:
            raise ValidationError({"industries": problem})
        problem = legal_forms_problem(self.admitted_legal_forms)
        if problem:
            raise ValidationError({"admitted_legal_forms": problem})
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("截止收件時間須晚於開始收件時間。")})

    def is_open(self, now=None):
        """Whether applications may be submitted now (server clock, to the second)."""
        now = to_the_second(now or timezone.now())
        return not self.is_suspended and self.opens_at <= now <= self.closes_at

    @classmethod
    def current(cls, now=None):
        """The call the public site shows: the open one, else the newest."""
        now = to_the_second(now or timezone.now())
        open_call = (
            cls.objects.filter(is_suspended=False, opens_at__lte=now, closes_at__gte=now)
            .order_by("-year")
            .first()
        )
        return open_call or cls.objects.order_by("-year").first()


def industries_problem(industries):
    """Why the eligible industries as configured cannot be used, or None. The pre-check reads
    each group's prefixes as the start of the tax registration's 6-digit codes: a group needs a
    code, a name and at least one prefix of digits (a bare string "62" would be read as the
    prefixes "6" and "2", admitting every code starting with 6 or 2)."""
    if not isinstance(industries, list) or not industries:
        return _("請至少設定一個符合資格之行業（清單，每項含 code、name_zh、prefixes）。")
    for position, group in enumerate(industries, start=1):
        if not isinstance(group, dict):
            return _("第 %(n)s 項不是物件（須含 code、name_zh、prefixes）。") % {"n": position}
        for key in ("code", "name_zh"):
            if not isinstance(group.get(key), str) or not group[key].strip():
                return _("第 %(n)s 項缺少 %(key)s。") % {"n": position, "key": key}
        if not isinstance(group.get("name_en", ""), str):
            return _("第 %(n)s 項之 name_en 須為文字。") % {"n": position}
        prefixes = group.get("prefixes")
        if (
            not isinstance(prefixes, list)
            or not prefixes
            or not all(
                isinstance(p, str) and p.isascii() and p.isdigit() and 1 <= len(p) <= 6
                for p in prefixes
            )
        ):
            return _('第 %(n)s 項（%(code)s）之 prefixes 須為 1 至 6 位數字之清單，如 ["62"]。') % {
                "n": position,
                "code": group["code"],
            }
    return None


def legal_forms_problem(forms):
    """Why the admitted legal forms as configured cannot be used, or None: the pre-check compares
    each with the tax registration's 組織別名稱, so the list needs at least one name, each text."""
    if (
        not isinstance(forms, list)
        or not forms
        or not all(isinstance(form, str) and form.strip() for form in forms)
    ):
        return _('請至少設定一個受理之組織別（文字清單，如 ["有限公司", "股份有限公司"]）。')
    return None


class Category(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(_("類別"), max_length=20, choices=CategoryKind.choices)
    name_zh = models.CharField(_("名稱"), max_length=100)
    name_en = models.CharField(_("名稱（英文）"), max_length=100, blank=True)
    tagline_zh = models.CharField(_("標語"), max_length=200, blank=True)
    tagline_en = models.CharField(_("標語（英文）"), max_length=200, blank=True)
    description_zh = models.TextField(_("說明"), blank=True)
    description_en = models.TextField(_("說明（英文）"), blank=True)
    point_definition_zh = models.CharField(_("點數定義"), max_length=200)
    point_definition_en = models.CharField(_("點數定義（英文）"), max_length=200, blank=True)
    # One point is worth this many natural units: GPU-seconds (training) or tokens (inference).
    units_per_point = models.PositiveBigIntegerField(_("每點數之計量單位數"))
    # The smallest unit charged: 1 GPU-second, or 1,000 tokens.
    metering_unit = models.PositiveBigIntegerField(_("最小計量單位"), default=1)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        ordering = ["call", "order"]
        unique_together = [("call", "kind")]
        verbose_name = _("申請類別")
        verbose_name_plural = _("申請類別")

    def __str__(self):
        return f"{self.call.year} {self.name_zh}"

    def clean_weights(self, weights):
        if sum(weights) != 100:
            raise ValidationError(
                _("審查重點權重合計須為 100%%（目前為 %(total)s%%）。"),
                params={"total": sum(weights)},
            )

    def next_batch(self, now=None):
        now = to_the_second(now or timezone.now())
        return self.batches.filter(cutoff_at__gte=now).order_by("cutoff_at").first()


def to_the_second(moment):
    """``moment`` as the system records and shows times, to the second: a deadline of 23:59:59
    takes the whole of its last second (a request arriving at 23:59:59.6 was sent at 23:59:59,
    which the refusal would name as the deadline) and none of the next day."""
    return moment.replace(microsecond=0)


def default_cutoff(review_date, tz=None):
    """The day before the review date, 23:59 Asia/Taipei."""
    tz = tz or timezone.get_default_timezone()
    day = review_date - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=tz)


def effective_cutoff(batch, call):
    """When a batch stops taking applications and submitted ones freeze: its own cut-off, but
    never after the call closes (the one rule the public pages and the dashboard show). Compare
    it with ``to_the_second(now)``."""
    return min(batch.cutoff_at, call.closes_at)


class Batch(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField(_("梯次"))
    review_date = models.DateField(_("預計審查日"))
    cutoff_at = models.DateTimeField(_("收件截止"), blank=True)

    class Meta:
        ordering = ["category", "number"]
        unique_together = [("category", "number")]
        verbose_name = _("審查梯次")
        verbose_name_plural = _("審查梯次")

    def __str__(self):
        return f"{self.category} 第{chinese_numeral(self.number)}梯次"

    def save(self, *args, **kwargs):
        if self.apply_default_cutoff() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "cutoff_at"}
        super().save(*args, **kwargs)

    def apply_default_cutoff(self):
        """The review date's default cut-off when none is set, or when the date moved and the
        cut-off is still the old date's default; True when it set one."""
        if self.cutoff_at is None or self._keeps_old_default_cutoff():
            self.cutoff_at = default_cutoff(self.review_date)
            return True
        return False

    def _keeps_old_default_cutoff(self):
        """The review date moved and the cut-off is still the old date's default: it follows
        the date (an operator who set a cut-off of their own keeps it)."""
        if self.pk is None:
            return False
        old = Batch.objects.filter(pk=self.pk).values("review_date", "cutoff_at").first()
        return (
            old is not None
            and old["review_date"] != self.review_date
            and self.cutoff_at == old["cutoff_at"]
            and old["cutoff_at"] == default_cutoff(old["review_date"])
        )

    def clean(self):
        super().clean()
        if self.cutoff_at is not None and self.review_date is not None:
            # The cut-off as saving will leave it (a default one follows a moved date).
            cutoff = (
                default_cutoff(self.review_date)
                if self._keeps_old_default_cutoff()
                else self.cutoff_at
            )
            review_starts = datetime.datetime.combine(
                self.review_date, datetime.time(0, 0), tzinfo=timezone.get_default_timezone()
            )
            if cutoff >= review_starts:
                raise ValidationError(
                    {"cutoff_at": _("收件截止須早於該梯次預計審查日。")}, code="cutoff_after_review"
                )


class Tier(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tiers")
    code = models.CharField(_("級別"), max_length=10)
    # A tier of 0 points would award nothing: the review would record an award with no service.
    points = models.PositiveIntegerField(_("核發點數"), validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        ordering = ["call", "order"]
        unique_together = [("call", "code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__gte=1), name="calls_tier_points_positive"
            )
        ]
        verbose_name = _("點數級別")
        verbose_name_plural = _("點數級別")

    def __str__(self):
        return f"{self.code} ({self.points})"


class Criterion(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("代碼"), max_length=40)
    name_zh = models.CharField(_("審查重點"), max_length=100)
    name_en = models.CharField(_("審查重點（英文）"), max_length=100, blank=True)
    weight = models.PositiveSmallIntegerField(_("權重（%）"))
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        ordering = ["category", "order"]
        unique_together = [("category", "key")]
        verbose_name = _("審查重點")
        verbose_name_plural = _("審查重點")

    def __str__(self):
        return f"{self.name_zh} ({self.weight}%)"


def in_use(queryset):
    """Whether records of a later stage point at a row of ``queryset`` through a relation that
    protects it from deletion — the reviewers' scores at a criterion, an award at its category.
    The review sits above this app, so they are found through the relations pointing here
    rather than imported."""
    for relation in queryset.model._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and relation.one_to_many
            and relation.on_delete is models.PROTECT
        ):
            related = relation.related_model._base_manager
            if related.filter(**{f"{relation.field.name}__in": queryset}).exists():
                return True
    return False


def criteria_in_use(category):
    """Whether reviewers scored against ``category``'s review criteria. Every weighted total is
    read with the weights as they are now, so from then on its criteria and weights are fixed."""
    return in_use(Criterion.objects.filter(category=category))


def category_awarded(category):
    """Whether awards of ``category`` exist. Their points are read from their natural units
    with the category's units per point as it is now, so from then on that is fixed."""
    return in_use(Category.objects.filter(pk=category.pk))


class CatalogueModel(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="models")
    display_name = models.CharField(_("模型名稱"), max_length=200)
    parameter_size = models.CharField(_("參數量"), max_length=40, blank=True)
    vendor = models.CharField(_("開發者"), max_length=100, blank=True)
    country = models.CharField(_("來源國家"), max_length=2, blank=True, help_text="ISO 3166-1")
    offered_no_code = models.BooleanField(_("No-Code訓練平台環境"), default=False)
    offered_validation = models.BooleanField(_("模型驗證環境"), default=False)
    offered_inference = models.BooleanField(_("推論 API"), default=False)
    upstream_id = models.CharField(_("上游模型代碼"), max_length=200, blank=True)
    enabled = models.BooleanField(_("啟用"), default=True)
    prohibited = models.BooleanField(
        _("禁止使用"), default=False, help_text=_("來自中國或中資之模型，不得提供亦不得轉送")
    )
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        ordering = ["call", "order", "display_name"]
        unique_together = [("call", "display_name")]
        verbose_name = _("模型")
        verbose_name_plural = _("模型清單")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.withhold_if_blocked()
        super().save(*args, **kwargs)

    def withhold_if_blocked(self):
        """Whoever saves it (the admin, a seed, a script): never offered, never routed."""
        if self.from_a_blocked_region:
            self.prohibited, self.enabled = True, False

    @property
    def from_a_blocked_region(self):
        """Developed in mainland China, Hong Kong or Macao (使用規範第5點: models from China or
        Chinese capital are not to be used); Chinese capital elsewhere is the operator's tick."""
        return (self.country or "").upper() in settings.GATEWAY_BLOCKED_COUNTRIES

    def clean(self):
        if self.from_a_blocked_region and not self.prohibited:
            raise ValidationError(
                {
                    "prohibited": _(
                        "來源國家為中國大陸、香港或澳門之模型依使用規範不得使用，請勾選「禁止使用」。"
                    )
                }
            )
        if self.prohibited and self.enabled:
            raise ValidationError(_("禁止使用的模型不得啟用。"))


class Text(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(_("項目"), max_length=40, choices=TextKey.choices)
    title_zh = models.CharField(_("標題"), max_length=200)
    title_en = models.CharField(_("標題（英文）"), max_length=200, blank=True)
    body_zh = models.TextField(_("內容"))
    body_en = models.TextField(_("內容（英文）"), blank=True)

    class Meta:
        unique_together = [("call", "key")]
        verbose_name = _("條款文字")
        verbose_name_plural = _("條款文字")

    def __str__(self):
        return f"{self.call.year} {self.get_key_display()}"


class FormNote(models.Model):
    """A note of the programme document shown on a page of the application form, under the
    section whose heading starts with ``section`` (e.g. 8 → 「8. 預計產品化階段說明」), or at the
    top of the page when ``section`` is blank — e.g. 「115年重點新增，請填寫完整」."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="form_notes")
    page = models.CharField(_("申請表頁面"), max_length=40, choices=FormPage.choices)
    section = models.CharField(
        _("段落編號"),
        max_length=10,
        blank=True,
        help_text=_("申請表段落標題之編號，如 8；空白時顯示於頁面上方"),
    )
    body_zh = models.TextField(_("內容"))
    body_en = models.TextField(_("內容（英文）"), blank=True)

    class Meta:
        ordering = ["call", "page", "section", "id"]
        unique_together = [("call", "page", "section")]
        verbose_name = pgettext_lazy("model", "申請表說明")
        verbose_name_plural = _("申請表說明")

    def __str__(self):
        return f"{self.call.year} {self.get_page_display()} {self.section}".strip()


class Announcement(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.SET_NULL, null=True, blank=True, related_name="announcements"
    )
    title_zh = models.CharField(_("標題"), max_length=200)
    title_en = models.CharField(_("標題（英文）"), max_length=200, blank=True)
    body_zh = models.TextField(_("內容"))
    body_en = models.TextField(_("內容（英文）"), blank=True)
    published_on = models.DateField(_("公告日期"))
    is_published = models.BooleanField(_("公開"), default=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = pgettext_lazy("model", "活動公告")
        verbose_name_plural = _("活動公告")

    def __str__(self):
        return self.title_zh
