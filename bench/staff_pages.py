"""The staff's and the companies' pages at a real programme's volume: queries and time per page.

    .venv/bin/python bench/staff_pages.py                       # SQLite, bench/data/staff-pages/
    .venv/bin/python bench/staff_pages.py --database-url postgres://aipower@127.0.0.1:5432/empty
    .venv/bin/python bench/staff_pages.py --applications 50 --audit 10000   # quicker
    .venv/bin/python bench/staff_pages.py --reuse --pages meeting usage  # again, no building

Loads the demo (``load_demo``), then builds a call's volume through the project's own services
— companies applying through the wizard's steps, eligibility, 3 reviewers per application (each
of 30 reviewers scores about 50), the meeting's decisions (40 % approved) and the organiser's
approval, which opens the awards' allowances — and bulk rows where the services would only be
slow (ledger entries with their metered requests or GPU jobs per award, one heavy inference and
one heavy training company, the audit log, the mail log). Then it visits every staff page and
the companies' pages with Django's test client (each page once to settle the session, then
measured three times: its queries, the fastest time, the least CPU time of this process, its
size), and the meeting page of the last batch as it is before the list is approved (a form per
application; the approval undone in a transaction rolled back after), and writes
``bench/results/staff-pages-<database>.json``. The database must be empty (SQLite: a fresh file
each run); PostgreSQL's is analysed before the pages are measured, as autovacuum would have done.
``--reuse`` measures the database an earlier run built (SQLite: its file, kept after the run),
``--pages`` only the pages whose name holds one of the words given (nothing written then): the
same data measured with two trees of the code, one after the other.
"""

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def setup(database_url, work, reuse=False):
    work.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        database = work / "bench.sqlite3"
        if not reuse:
            database.unlink(missing_ok=True)
        database_url = f"sqlite:///{database}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="aipower.settings.test",
        AIPOWER_TEST_VAR_DIR=str(work / "var"),
        DATABASE_URL=database_url,
    )
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def say(started, *words):
    print(f"[{time.perf_counter() - started:7.1f} s]", *words, flush=True)


def applications(count, rng, started):
    """``count`` companies apply (half training, half inference), spread over each category's
    first two batches; every application reviewed by 3 of 30 reviewers; 40 % approved."""
    from django.core.management import call_command
    from tests.applications.conftest import fill_application

    from aipower.accounts.models import Company, User
    from aipower.applications.models import Application
    from aipower.applications.services import start_application, submit_application
    from aipower.calls.models import Call, Tier
    from aipower.core.validators import is_valid_ubn
    from aipower.review import services
    from aipower.review.models import Budget

    call_command("migrate", verbosity=0)
    call_command("load_demo")
    call = Call.objects.get(year=115)
    operator = User.objects.get(username="operator")
    organiser = User.objects.get(username="organiser")
    reviewers = list(User.objects.filter(role="reviewer"))
    for n in range(len(reviewers), 30):
        reviewers.append(
            User.objects.create_user(
                username=f"bench-reviewer{n}", role="reviewer", email=f"r{n}@example.org"
            )
        )
    for category in call.categories.all():
        Budget.objects.update_or_create(
            category=category, defaults={"points": 10**9, "minimum_reviewers": 3}
        )
    ubns, apps = set(Company.objects.values_list("ubn", flat=True)), []
    while len(apps) < count:
        ubn = str(rng.randrange(10**7, 10**8))
        if ubn in ubns or not is_valid_ubn(ubn):
            continue
        ubns.add(ubn)
        number = len(apps)
        company = Company.objects.create(ubn=ubn, name=f"規模{number}號智能股份有限公司")
        user = User.objects.create_user(username=f"company-{ubn}", role="company", company=company)
        app = start_application(company, call)
        app = fill_application(app, user, "training" if number % 2 == 0 else "inference")
        apps.append(submit_application(app, user))
    say(started, f"{count} applications submitted")
    for kind in ("training", "inference"):
        second = call.categories.get(kind=kind).batches.order_by("number")[1]
        mine = [app.pk for app in apps if app.category == kind]
        Application.objects.filter(pk__in=mine[len(mine) // 2 :]).update(batch=second)
    apps = list(Application.objects.filter(pk__in=[app.pk for app in apps]).order_by("pk"))
    batches = {app.batch for app in apps}
    for batch in batches:
        services.freeze_batch(batch, operator)
    for index, app in enumerate(apps):
        services.decide_eligibility(app, "eligible", operator)
        criteria = services.criteria_of(app)
        for offset in range(3):
            reviewer = reviewers[(index * 3 + offset) % len(reviewers)]
            assignment = services.assign_reviewer(app, reviewer, operator)
            services.declare_conflict(assignment, reviewer, has_conflict=False)
            services.save_scores(
                assignment,
                reviewer,
                scores={c.pk: (60 + (index * 7 + offset * 3) % 40, "評語") for c in criteria},
                overall_comment="總評",
                suggested_tier="L2",
                submit=True,
            )
    say(started, "reviewed")
    tier = Tier.objects.get(call=call, code="L1")
    for index, app in enumerate(apps):
        if index % 5 < 2:
            services.stage_decision(app, operator, outcome="approved", tier=tier)
        else:
            services.stage_decision(app, operator, outcome="not_approved", reasons="分數不足")
    for batch in batches:
        services.approve_batch(batch, organiser)
    say(started, "approved")
    return apps


def usage(allowance, count, rng, now, models):
    """``count`` charges of ``allowance`` since its first day: ledger entries, and the metered
    requests (inference) or GPU jobs (training) they came from."""
    from aipower.gateway.models import MeteredRequest
    from aipower.grants.models import GpuJob, LedgerEntry

    start = datetime.datetime.combine(allowance.starts_on, datetime.time(1), tzinfo=datetime.UTC)
    span = max(60.0, (now - start).total_seconds())
    entries, requests, jobs = [], [], []
    for number in range(count):
        at = start + datetime.timedelta(seconds=rng.uniform(0, span))
        model = models[number % len(models)]
        if allowance.kind == "inference":
            request_id = uuid.uuid4().hex
            prompt, completion = rng.randrange(10, 2000), rng.randrange(10, 2000)
            units = -((prompt + completion + 999) // 1000) * 1000
            requests.append(
                MeteredRequest(
                    request_id=request_id,
                    award_id=allowance.award_id,
                    model=model,
                    endpoint="chat/completions",
                    prompt_tokens=prompt,
                    completion_tokens=completion,
                    reserved_tokens=prompt + completion,
                    outcome="ok",
                    started_at=at,
                    finished_at=at + datetime.timedelta(seconds=2),
                )
            )
            source, exact = f"gw:{request_id}", prompt + completion
        else:
            seconds = rng.randrange(60, 3600) * 4
            job = f"{allowance.pk}-{uuid.uuid4().hex[:12]}"
            jobs.append(
                GpuJob(
                    cluster="bench",
                    job_id=job,
                    account=allowance.account or f"acct{allowance.pk}",
                    allowance=allowance,
                    gpus=4,
                    started_at=at,
                    ended_at=at + datetime.timedelta(seconds=seconds // 4),
                    state="COMPLETED",
                    gpu_seconds=seconds,
                    charged_seconds=seconds,
                    taken_seconds=seconds,
                )
            )
            units, source, exact, model = -seconds, f"slurm:bench:{job}:{seconds}", seconds, None
        entries.append(
            LedgerEntry(
                allowance=allowance,
                kind=LedgerEntry.Kind.USAGE,
                units=units,
                exact_units=exact,
                source=source,
                model=model,
                created_at=at,
            )
        )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    MeteredRequest.objects.bulk_create(requests, batch_size=2000)
    GpuJob.objects.bulk_create(jobs, batch_size=2000)


def volume(args, rng, started):
    """Ledgers, requests and jobs per award (the awards moved 60 days back, so that their
    usage spans days), the audit log and the mail log."""
    from django.db import transaction
    from django.db.models import F, Sum
    from django.utils import timezone

    from aipower.accounts.models import User
    from aipower.applications.models import Application, SentMail
    from aipower.calls.models import CatalogueModel
    from aipower.core.models import AuditEntry
    from aipower.grants.models import Allowance, LedgerEntry
    from aipower.review.models import Award

    now = timezone.now()
    shift = datetime.timedelta(days=60)
    awards = Award.objects.filter(application__company__name__startswith="規模")
    awards.update(starts_on=F("starts_on") - shift, ends_on=F("ends_on") - shift)
    allowances = list(
        Allowance.objects.filter(award__in=awards).select_related("award").order_by("pk")
    )
    models = list(CatalogueModel.objects.order_by("pk")[:5])
    with transaction.atomic():
        for allowance in allowances:
            allowance.starts_on = allowance.award.starts_on
            allowance.ends_on = allowance.award.ends_on
            Allowance.objects.filter(pk=allowance.pk).update(
                starts_on=allowance.starts_on, ends_on=allowance.ends_on
            )
            usage(allowance, args.per_award, rng, now, models)
        heavy = {
            "inference": ("heavy_inference", args.heavy_requests),
            "training": ("heavy_training", args.heavy_jobs),
        }
        chosen = {}
        for allowance in reversed(allowances):
            name, count = heavy[allowance.kind]
            if name not in chosen:
                chosen[name] = allowance
                usage(allowance, count, rng, now, models)
        for allowance in allowances:
            used = -(
                LedgerEntry.objects.filter(allowance=allowance, kind="usage").aggregate(
                    total=Sum("units")
                )["total"]
                or 0
            )
            Allowance.objects.filter(pk=allowance.pk).update(
                granted_units=max(allowance.granted_units, used * 2),
                used_units=used,
                exact_units=used,
            )
    say(started, f"usage of {len(allowances)} awards")
    staff = list(User.objects.exclude(role="company").order_by("pk"))
    apps = list(Application.objects.exclude(number=None).values_list("pk", flat=True))
    actions = ["review.application_viewed", "review.scores_saved", "staff.login", "mail.view"]
    with transaction.atomic():
        for first in range(0, args.audit, 5000):
            AuditEntry.objects.bulk_create(
                AuditEntry(
                    at=now - datetime.timedelta(seconds=args.audit - number),
                    actor=staff[number % len(staff)],
                    action=actions[number % len(actions)],
                    object_type="application",
                    object_id=str(apps[number % len(apps)]),
                    ip="10.0.0.1",
                    data={"n": number},
                    hash=f"{number:064x}",
                )
                for number in range(first, min(first + 5000, args.audit))
            )
        SentMail.objects.bulk_create(
            (
                SentMail(
                    to=[f"c{number}@example.org"],
                    subject=f"【AI算力平台】通知 {number}",
                    body="內容" * 50,
                    application_id=apps[number % len(apps)],
                    queued_at=now - datetime.timedelta(minutes=args.mails - number),
                    status="sent" if number % 50 else "failed",
                    sent_at=now - datetime.timedelta(minutes=args.mails - number),
                    attempts=1,
                )
                for number in range(args.mails)
            ),
            batch_size=2000,
        )
    say(started, f"{args.audit} audit entries, {args.mails} mails")
    return chosen


def chosen_of_database():
    """The heavy companies' allowances of a database built before (``--reuse``): of each kind,
    the one with the most ledger entries."""
    from django.db.models import Count

    from aipower.grants.models import Allowance

    names = {"inference": "heavy_inference", "training": "heavy_training"}
    chosen = {}
    for kind, name in names.items():
        allowance = (
            Allowance.objects.filter(kind=kind)
            .annotate(charges=Count("entries"))
            .order_by("-charges")
            .first()
        )
        if allowance is not None:
            chosen[name] = allowance
    return chosen


def pages(chosen):
    """(who, page, url) of every page measured."""
    from django.urls import reverse
    from django.utils import timezone

    from aipower.applications.models import Application, SentMail
    from aipower.review.models import Assignment

    app = Application.objects.filter(company__name__startswith="規模").order_by("pk").last()
    batch = app.batch.pk
    mail = SentMail.objects.order_by("pk").last().pk
    assignment = Assignment.objects.filter(application=app).order_by("pk").first()
    today = timezone.localdate()
    days = f"?since={today - datetime.timedelta(days=3)}&until={today - datetime.timedelta(days=1)}"
    staff = {
        "staff home": reverse("staff:home"),
        "review index": reverse("review:index"),
        "review batch": reverse("review:batch", args=[batch]),
        "review application": reverse("review:application", args=[app.pk]),
        "meeting": reverse("review:meeting", args=[batch]),
        "meeting csv": reverse("review:meeting_csv", args=[batch]),
        "meeting xlsx": reverse("review:meeting_xlsx", args=[batch]),
        "audit log": reverse("review:audit"),
        "audit log by action": reverse("review:audit") + "?action=review.scores_saved",
        "audit log by object": reverse("review:audit") + f"?object_id={app.pk}",
        "audit log by days": reverse("review:audit") + days,
        "mail log": reverse("mail_staff:index"),
        "mail log failed": reverse("mail_staff:index") + "?show=failed",
        "mail log page 100": reverse("mail_staff:index") + "?page=100",
        "mail": reverse("mail_staff:detail", args=[mail]),
        "usage overview": reverse("grants_staff:usage"),
        "usage overview csv": reverse("grants_staff:usage") + "?format=csv",
        "compliance": reverse("compliance:index"),
        "pledges": reverse("compliance:pledges"),
        "deliverables": reverse("deliverables_staff:index"),
        "deliverables csv": reverse("deliverables_staff:csv"),
        "followup": reverse("followup_staff:index"),
        "privacy": reverse("privacy_staff:index"),
        "staff accounts": reverse("staff:accounts"),
        "registry company": reverse("registry:company", args=[app.company.ubn]),
        "registry snapshots": reverse("registry:snapshots"),
        "admin audit entries": reverse("admin:core_auditentry_changelist"),
        "admin applications": reverse("admin:applications_application_changelist"),
        "admin ledger": reverse("admin:grants_ledgerentry_changelist"),
        "admin requests": reverse("admin:gateway_meteredrequest_changelist"),
    }
    measured = [("operator", name, url) for name, url in staff.items()]
    measured += [
        ("reviewer", "my reviews", reverse("review:mine")),
        ("reviewer", "score sheet", reverse("review:assignment", args=[assignment.pk])),
    ]
    for name, allowance in sorted(chosen.items()):
        company = [
            ("dashboard", reverse("applications:dashboard")),
            ("usage", reverse("grants:overview")),
            ("usage detail", reverse("grants:detail", args=[allowance.pk])),
            ("usage csv", reverse("grants:csv", args=[allowance.pk])),
            ("keys", reverse("keys:list")),
        ]
        if allowance.kind == "inference":
            company.append(("requests csv", reverse("grants:requests-csv", args=[allowance.pk])))
        measured += [(name, page, url) for page, url in company]
    return measured, assignment.reviewer


# Each page is measured this many times; the fastest is kept (the others ran beside a garbage
# collection, another process's burst...).
ROUNDS = 3


def _measure(client, url):
    """(response, queries, fastest ms, that round's slowest query in s, the least CPU ms of
    this process in a round, body) of ``url``. The CPU time moves less than the wall time on a
    busy machine."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session may write it
    rounds, cpu = [], []
    for _round in range(ROUNDS):
        began, began_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            streamed = response.streaming
            body = b"".join(response.streaming_content) if streamed else response.content
        took = (time.perf_counter() - began) * 1000
        cpu.append((time.process_time() - began_cpu) * 1000)
        slowest = max((float(q["time"]) for q in queries.captured_queries), default=0.0)
        rounds.append((took, slowest))
    took, slowest = min(rounds)
    return response, len(queries.captured_queries), took, slowest, min(cpu), body


def _before_approval(batch, users):
    """The meeting page of ``batch`` as it is while the meeting decides (a form per application:
    the operator's decisions, the organiser's amounts and send-backs), measured with the batch's
    approval undone in a transaction that is rolled back."""
    from django.db import transaction
    from django.urls import reverse
    from tests.conftest import verified_client

    from aipower.applications.models import Application
    from aipower.review.models import BatchReview

    url = reverse("review:meeting", args=[batch.pk])
    measured = []
    with transaction.atomic():
        BatchReview.objects.filter(batch=batch).update(approved_at=None, approved_by=None)
        Application.objects.filter(batch=batch, state__in=["approved", "not_approved"]).update(
            state="decided"
        )
        for who, user in users.items():
            page = "meeting before approval"
            measured.append((who, page, url, _measure(verified_client(user), url)))
        transaction.set_rollback(True)
    return measured


def measure(chosen, only=None):
    from django.test import Client
    from tests.conftest import verified_client

    from aipower.accounts.models import User
    from aipower.applications.models import Application

    measured, reviewer = pages(chosen)
    operator = User.objects.get(username="operator")
    operator.is_superuser = True  # the admin's lists too
    operator.save(update_fields=["is_superuser"])
    clients = {"operator": verified_client(operator), "reviewer": verified_client(reviewer)}
    for name, allowance in chosen.items():
        clients[name] = Client()
        clients[name].force_login(User.objects.filter(company=allowance.company).first())
    runs = [
        (who, page, url, _measure(clients[who], url))
        for who, page, url in measured
        if only is None or any(word in page for word in only)
    ]
    if only is None or any(word in "meeting before approval" for word in only):
        last = Application.objects.filter(company__name__startswith="規模").order_by("pk").last()
        users = {who: User.objects.get(username=who) for who in ("operator", "organiser")}
        runs += _before_approval(last.batch, users)
    results = []
    for who, page, url, (response, queries, took, slowest, cpu, body) in runs:
        results.append(
            {
                "who": who,
                "page": page,
                "url": url,
                "status": response.status_code,
                "queries": queries,
                "ms": round(took),
                "slowest_query_ms": round(slowest * 1000),
                "cpu_ms": round(cpu),
                "kb": len(body) // 1024,
            }
        )
        row = results[-1]
        print(
            f"{who:16} {page:24} {row['status']} {row['queries']:4} queries {row['ms']:6} ms"
            f" (slowest query {row['slowest_query_ms']} ms, CPU {row['cpu_ms']} ms)"
            f" {row['kb']:6} KB",
            flush=True,
        )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--per-award", type=int, default=120, help="charges of each award")
    parser.add_argument("--heavy-requests", type=int, default=40000)
    parser.add_argument("--heavy-jobs", type=int, default=10000)
    parser.add_argument("--audit", type=int, default=300000)
    parser.add_argument("--mails", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=62)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database built by an earlier run (SQLite: its file) without building",
    )
    parser.add_argument(
        "--pages", nargs="+", help="only the pages whose name holds one of these words"
    )
    args = parser.parse_args()
    setup(args.database_url, HERE / "data" / "staff-pages", reuse=args.reuse)
    from django.db import connection

    started, rng = time.perf_counter(), random.Random(args.seed)
    if args.reuse:
        chosen = chosen_of_database()
    else:
        applications(args.applications, rng, started)
        chosen = volume(args, rng, started)
    if connection.vendor == "postgresql":
        # Autovacuum would have analysed the tables after such inserts within a minute; the
        # planner otherwise takes the audit log's 300,000 rows for a hundred.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results = measure(chosen, args.pages)
    if args.pages:
        return 0 if all(r["status"] == 200 for r in results) else 1
    out = HERE / "results" / f"staff-pages-{connection.vendor}.json"
    out.write_text(
        json.dumps(
            {
                "volume": {k: v for k, v in vars(args).items() if k != "database_url"},
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "pages": results,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {out.relative_to(ROOT)}")
    return 0 if all(r["status"] == 200 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
