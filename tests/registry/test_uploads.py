"""The data set uploaded on the staff page and imported in the background (``registry.uploads``):
the upload, the import's outcome, the progress the job's page polls, who may do what."""

import json
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aipower.accounts.enums import Role
from aipower.core.models import AuditEntry
from aipower.registry import uploads
from aipower.registry.importer import Progress
from aipower.registry.models import ImportJob, Snapshot
from aipower.registry.services import DEMO_FIXTURE, current_record, import_demo_registry
from tests.conftest import verified_client

from .conftest import demo_rows

pytestmark = pytest.mark.integration

S = ImportJob.Status


@pytest.fixture(autouse=True)
def uploads_root(settings, tmp_path):
    settings.REGISTRY_UPLOADS_ROOT = tmp_path / "uploads"
    return settings.REGISTRY_UPLOADS_ROOT


def staff(django_user_model, role):
    user = django_user_model.objects.create_user(str(role), password="x" * 16, role=role)
    return user, verified_client(user)


@pytest.fixture
def operator(db, django_user_model):
    return staff(django_user_model, Role.OPERATOR)


def demo_file(name="BGMOPEN1.csv"):
    return SimpleUploadedFile(name, DEMO_FIXTURE.read_bytes(), content_type="text/csv")


def upload(client, file, **options):
    return client.post(reverse("registry:imports"), {"file": file, **options})


def files_left(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_an_uploaded_file_is_imported_in_the_background(operator, uploads_root):
    user, client = operator
    # The test settings' task backend runs the import as soon as the upload commits.
    response = upload(client, demo_file())

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_job", args=[job.pk])
    assert (job.status, job.rows, job.skipped, job.active) == (S.SUCCEEDED, 11, 0, False)
    assert job.snapshot.is_current and job.snapshot.source_name == "BGMOPEN1.csv"
    assert current_record("84700087").name == "晴空智能股份有限公司"
    assert files_left(uploads_root) == []  # the upload and its progress file are gone
    entry = AuditEntry.objects.get(action="registry.import_uploaded")
    assert (entry.actor, entry.object_id, entry.data["file"]) == (user, str(job.pk), "BGMOPEN1.csv")

    page = client.get(response["Location"]).content.decode()
    assert "已匯入 11 筆（略過 0 筆），新資料已取代使用中的資料。" in page
    assert "data-polling" not in page


def test_a_refused_file_leaves_the_current_snapshot_and_says_why(operator, csv_file):
    _user, client = operator
    current = import_demo_registry().snapshot
    bad = csv_file(demo_rows(), header=["統一編號", "營業人名稱"])

    upload(client, SimpleUploadedFile("BGMOPEN1.csv", bad.read_bytes()))

    job = ImportJob.objects.get()
    assert (job.status, job.error_line) == (S.FAILED, 1)
    assert Snapshot.objects.get(is_current=True) == current
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert job.error == (
        "the header is not the 16 columns of BGMOPEN1.csv: "
        "column 1 is '統一編號', expected '營業地址'"
    )
    assert (
        "檔案未匯入，使用中的資料不受影響。第 1 行：第一行應為 BGMOPEN1.csv 的16個欄位名稱；"
        "第 1 欄應為「營業地址」，檔案中為「統一編號」。"
    ) in page
    assert " is not " not in page


def test_an_older_file_refused_points_to_the_forms_option_not_the_command_line(operator, csv_file):
    _user, client = operator
    import_demo_registry()  # published 01-OCT-26
    older = csv_file(demo_rows(), date_line=["01-SEP-26"] + [""] * 15)

    upload(client, SimpleUploadedFile("BGMOPEN1.csv", older.read_bytes()))

    job = ImportJob.objects.get()
    url = reverse("registry:import_job", args=[job.pk])
    page = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "--allow-older" not in page
    assert (
        "此檔案的發布日期 115年09月01日 早於使用中的資料（115年10月01日）。"
        "如確定要以較舊的資料取代，請勾選「允許匯入較舊的資料集」後重新上傳。"
    ) in page
    assert "tick “Allow an older data set” and upload the file again." in english
    assert "--allow-older" not in english


def test_skipped_rows_are_explained_in_the_pages_language(operator, csv_file):
    _user, client = operator
    rows = demo_rows()
    rows[3][5] = "1071301"  # 13th month, line 6
    rows[4][10] = "2599"  # a 5-digit code in 行業代號1, line 7
    upload(
        client,
        SimpleUploadedFile("BGMOPEN1.csv", csv_file(rows).read_bytes()),
        skip_bad_rows="on",
    )
    url = reverse("registry:import_job", args=[ImportJob.objects.get().pk])

    page = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()

    table = page.split('id="skipped-rows"', 1)[1]
    assert "設立日期「1071301」不是有效的民國日期" in table
    assert "行業代號1「2599」不是6位數字的行業代號（或空白）。" in table
    assert "設立日期 (founding date) “1071301” is not a valid ROC date" in english


def test_bad_rows_skipped_on_request_are_listed_on_the_jobs_page(operator, csv_file):
    _user, client = operator
    rows = demo_rows()
    rows[3][1] = "12345678"  # a 統一編號 whose check digit is wrong, on line 6
    upload(
        client,
        SimpleUploadedFile("BGMOPEN1.csv", csv_file(rows).read_bytes()),
        skip_bad_rows="on",
    )

    job = ImportJob.objects.get()
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert (job.status, job.rows, job.skipped) == (S.SUCCEEDED, 10, 1)
    assert '<td class="num">6</td>' in page
    assert "12345678" in page


def test_a_file_that_is_not_csv_or_zip_is_refused_next_to_the_field_keeping_the_options(
    operator, uploads_root
):
    _user, client = operator

    response = upload(client, SimpleUploadedFile("registry.xlsx", b"PK\x03\x04"), allow_older="on")

    page = response.content.decode()
    assert response.status_code == 400
    assert "請上傳 .csv 或 .zip 檔（registry.xlsx 不是）。" in page
    assert (
        'name="allow_older" checked' in page
        or 'checked name="allow_older"' in page
        or ('id="id_allow_older" checked' in page)
    )
    assert "送出後須重新選擇檔案" in page
    assert not ImportJob.objects.exists()
    assert files_left(uploads_root) == []


def test_while_a_file_is_imported_the_page_links_to_it_instead_of_the_form(operator):
    _user, client = operator
    job = running_job()

    page = client.get(reverse("registry:imports")).content.decode()

    assert "「BGMOPEN1.csv」正在匯入，完成前無法再上傳。" in page
    assert reverse("registry:import_job", args=[job.pk]) in page
    assert 'id="upload-form"' not in page


def test_a_second_upload_waits_for_the_first(operator, uploads_root):
    _user, client = operator
    first = queued_job()  # not yet taken by the worker

    response = upload(client, demo_file())

    assert response.status_code == 400
    assert "已有一份稅籍資料正在匯入，請待其完成後再上傳。" in response.content.decode()
    assert list(ImportJob.objects.all()) == [first]
    assert files_left(uploads_root) == []  # the refused upload's file is not kept


def queued_job(status=S.QUEUED):
    return ImportJob.objects.create(
        source_name="BGMOPEN1.csv", stored_name="0" * 32 + "/BGMOPEN1.csv", size=1000, status=status
    )


def running_job():
    return queued_job(S.RUNNING)


def test_the_status_reports_the_progress_the_worker_wrote(operator, uploads_root):
    _user, client = operator
    uploads_root.mkdir(parents=True)
    job = running_job()
    uploads.ProgressWriter(job)(
        Progress(rows=500, skipped=2, bytes_read=250, total_bytes=1000, elapsed=2.0)
    )

    state = client.get(reverse("registry:import_status", args=[job.pk])).json()

    assert state["percent"] == 25.0
    assert (state["rows"], state["skipped"], state["rate"], state["seconds_left"]) == (
        500,
        2,
        250,
        6,
    )
    assert (state["finished"], state["stalled"]) == (False, False)
    assert state["text"] == "已處理 500 筆（25.0%），每秒約 250 筆，預估剩餘 6 秒。"
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert 'value="25.0"' in page and "data-polling" in page


def test_the_status_says_when_the_file_is_read_and_the_import_finishing(operator, uploads_root):
    _user, client = operator
    uploads_root.mkdir(parents=True)
    job = running_job()
    uploads.ProgressWriter(job)(Progress(1_700_000, 0, 1000, 1000, 9.0))

    state = client.get(reverse("registry:import_status", args=[job.pk])).json()

    assert (state["percent"], state["finished"]) == (100.0, False)
    assert (
        state["text"] == "已讀取全部 1,700,000 筆，正在完成匯入（建立索引並切換為使用中的資料）。"
    )


def test_the_status_in_english(operator, uploads_root):
    _user, client = operator
    client.cookies["django_language"] = "en"
    uploads_root.mkdir(parents=True)
    job = running_job()
    uploads.ProgressWriter(job)(
        Progress(rows=90_000, skipped=0, bytes_read=100, total_bytes=1000, elapsed=30.0)
    )

    state = client.get(
        reverse("registry:import_status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).json()

    assert state["text"] == (
        "90,000 records processed (10.0%), about 3,000 a second, about 4 min 30 s left."
    )


def test_a_job_that_stopped_reporting_is_given_up_and_a_new_file_accepted(
    operator, uploads_root, settings
):
    user, client = operator
    settings.REGISTRY_IMPORT_STALL_SECONDS = 600
    uploads_root.mkdir(parents=True)
    stuck = running_job()
    uploads.ProgressWriter(stuck)(Progress(10, 0, 1, 1000, 1.0))
    an_hour_ago = time.time() - 3600
    os.utime(uploads.progress_path(stuck), (an_hour_ago, an_hour_ago))

    state = client.get(reverse("registry:import_status", args=[stuck.pk])).json()
    form_page = client.get(reverse("registry:imports")).content.decode()
    response = upload(client, demo_file())

    assert state["stalled"] is True
    assert 'id="upload-form"' in form_page and "已停止回報進度，可能已中止" in form_page
    assert "匯入程序可能已中止" in state["text"]
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert (stuck.status, stuck.active) == (S.FAILED, False)
    assert "已停止回報進度" in stuck.error
    # Given up in the name of the operator whose upload took its place, in the audit log.
    given_up = AuditEntry.objects.get(action="registry.import_failed")
    assert (given_up.actor, given_up.object_id, given_up.data["reason"]) == (
        user,
        str(stuck.pk),
        stuck.error,
    )


def test_the_progress_file_is_replaced_whole(uploads_root):
    uploads_root.mkdir(parents=True)
    job = ImportJob(pk=7)
    writer = uploads.ProgressWriter(job)

    writer(Progress(1, 0, 10, 100, 0.5))
    writer(Progress(2, 0, 100, 100, 0.6))  # the last report is always written

    assert json.loads(uploads.progress_path(job).read_text())["rows"] == 2
    assert files_left(uploads_root) == ["7.progress.json"]


def test_the_organiser_sees_the_uploads_but_cannot_upload(db, django_user_model):
    _user, client = staff(django_user_model, Role.ORGANISER)

    page = client.get(reverse("registry:imports"))
    refused = upload(client, demo_file())

    assert page.status_code == 200
    assert 'id="upload-form"' not in page.content.decode()
    assert refused.status_code == 403
    assert not ImportJob.objects.exists()
    # The page is named for what the organiser does there, and says who uploads.
    html = page.content.decode()
    assert "<h1>稅籍資料上傳紀錄</h1>" in html
    assert "上傳稅籍資料" not in html.split("</nav>", 1)[-1]  # (the menu aside)
    assert "新的稅籍資料由執行單位上傳。" in html
    snapshots = client.get(reverse("registry:snapshots")).content.decode()
    assert '<a href="/staff/registry/imports/" id="upload-link">稅籍資料上傳紀錄</a>' in snapshots
    job = ImportJob.objects.create(
        source_name="BGMOPEN1.csv", size=1, status=S.FAILED, active=False
    )
    job_page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert '<li><a href="/staff/registry/imports/">稅籍資料上傳紀錄</a></li>' in job_page


def test_the_operator_sees_the_upload_page_as_such(operator):
    _user, client = operator

    html = client.get(reverse("registry:imports")).content.decode()
    snapshots = client.get(reverse("registry:snapshots")).content.decode()

    assert "<h1>上傳稅籍資料</h1>" in html
    assert '<a href="/staff/registry/imports/" id="upload-link">上傳稅籍資料</a>' in snapshots


def test_a_reviewer_has_no_access(db, django_user_model):
    _user, client = staff(django_user_model, Role.REVIEWER)
    job = running_job()

    assert client.get(reverse("registry:imports")).status_code == 403
    assert client.get(reverse("registry:import_status", args=[job.pk])).status_code == 403


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(operator, uploads_root):
    _user, client = operator
    limit = 1 << 30

    response = client.post(
        reverse("registry:imports"),
        {"file": demo_file()},
        CONTENT_LENGTH=str(limit + 10 * 1024 * 1024),  # what a 1.01 GiB upload declares
    )

    page = response.content.decode()
    assert response.status_code == 413
    error = page.index("檔案超過 1.0\xa0GB 之上限。")
    assert page.index('id="row-file"') < error < page.index('id="row-skip_bad_rows"')
    assert not ImportJob.objects.exists()
    assert files_left(uploads_root) == []


def test_the_upload_still_needs_its_csrf_token(operator):
    from django.test import Client

    user, _client = operator
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    session = client.session
    session.update(_client.session.items())
    session.save()

    response = client.post(reverse("registry:imports"), {"file": demo_file()})

    assert response.status_code == 403
    assert not ImportJob.objects.exists()
