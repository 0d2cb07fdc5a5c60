"""What naming the fields in the messages (``core.form_messages.name_invalid_values``) adds to
building a form: the wizard builds one per page it shows and checks (about five per request).

    .venv/bin/python bench/form_messages.py

Five of the wizard's forms (their fields as Django copies them for each form, without the
wizard's own set-up, which needs an application): the time to build each bare, and bare plus
``name_invalid_values``, best of three rounds of 200. No database.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aipower.settings.dev")

import django

django.setup()

from django import forms  # noqa: E402

from aipower.applications import forms as wizard  # noqa: E402
from aipower.core.form_messages import name_invalid_values  # noqa: E402

CLASSES = [
    wizard.ProfileForm,
    wizard.TrainingImportanceForm,
    wizard.TrainingBenefitForm,
    wizard.ProductForm,
    wizard.DeclarationForm,
]
ROUNDS, TIMES = 3, 200


def bare(cls):
    form = cls.__new__(cls)
    forms.Form.__init__(form)  # the fields deep-copied, as every form's are
    return form


def per_form(build):
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(TIMES):
            for cls in CLASSES:
                build(cls)
        best = min(best, (time.perf_counter() - start) / (TIMES * len(CLASSES)))
    return best * 1000


def named(cls):
    name_invalid_values(bare(cls))


if __name__ == "__main__":
    fields = sum(len(cls.base_fields) for cls in CLASSES) / len(CLASSES)
    plain, with_names = per_form(bare), per_form(named)
    print(f"{len(CLASSES)} wizard forms, {fields:.0f} fields each on average")
    print(f"ms per form, best of {ROUNDS} rounds of {TIMES}")
    print(f"  bare                        {plain:7.3f}")
    print(f"  bare + name_invalid_values  {with_names:7.3f}  (+{with_names - plain:.3f})")
