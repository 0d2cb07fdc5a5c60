"""The rights a data subject may exercise, whom a request concerns, and its states.

The rights are worded as the programme's notice (蒐集個人資料告知事項, point 3) words them.
``Channel`` says how a request reached the programme: the company's own filing online, or a
data subject's e-mail, call, visit or letter that the operator records on their behalf.
The workflow is declared as data: ``TRANSITIONS`` says which state may follow which.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    QUERY = "query", _("查詢或請求閱覽")
    COPY = "copy", _("製給複製本")
    CORRECT = "correct", _("補充或更正")
    STOP = "stop", _("停止蒐集、處理、利用")
    DELETE = "delete", _("刪除")


class Person(models.TextChoices):
    """Whose data: one of the contact slots of the profile form, or someone else."""

    PI = "pi", _("專案主持人")
    CONTACT = "contact", _("專案聯絡人")
    CONTACT2 = "contact2", _("專案聯絡人(2)")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    """How the request was received (收件方式). The labels carry the context "channel": the
    other apps' 線上申請 is the call's "Apply online"."""

    ONLINE = "online", pgettext_lazy("channel", "線上申請")
    EMAIL = "email", pgettext_lazy("channel", "電子郵件")
    PHONE = "phone", pgettext_lazy("channel", "電話")
    COUNTER = "counter", pgettext_lazy("channel", "臨櫃")
    WRITTEN = "written", pgettext_lazy("channel", "書面")


# The channels of a request the operator records on a data subject's behalf.
STAFF_CHANNELS = (Channel.EMAIL, Channel.PHONE, Channel.COUNTER, Channel.WRITTEN)


class State(models.TextChoices):
    RECEIVED = "received", _("收件")
    IN_PROGRESS = "in_progress", _("處理中")
    COMPLETED = "completed", _("已完成")
    REFUSED = "refused", _("不予受理")


OPEN_STATES = (State.RECEIVED, State.IN_PROGRESS)
CLOSED_STATES = (State.COMPLETED, State.REFUSED)

TRANSITIONS = {
    State.RECEIVED: (State.IN_PROGRESS, State.REFUSED),
    State.IN_PROGRESS: (State.COMPLETED, State.REFUSED),
    State.COMPLETED: (),
    State.REFUSED: (),
}

# The profile form's fields that hold each contact's personal data (姓名、電話、電子郵件、職稱).
PERSON_FIELDS = {
    Person.PI: ("pi_name", "pi_title", "pi_phone", "pi_email"),
    Person.CONTACT: (
        "contact_name",
        "contact_title",
        "contact_phone",
        "contact_mobile",
        "contact_email",
    ),
    Person.CONTACT2: (
        "contact2_name",
        "contact2_title",
        "contact2_phone",
        "contact2_mobile",
        "contact2_email",
    ),
}
CONTACT_SLOTS = (Person.PI, Person.CONTACT, Person.CONTACT2)
CONTACT_FIELDS = tuple(name for slot in CONTACT_SLOTS for name in PERSON_FIELDS[slot])

# Days to decide on a request (個人資料保護法 第13條): 15 for a query, a viewing or a copy, 30 for
# a correction, a stop or a deletion.
DECISION_DAYS = {
    Kind.QUERY: 15,
    Kind.COPY: 15,
    Kind.CORRECT: 30,
    Kind.STOP: 30,
    Kind.DELETE: 30,
}
