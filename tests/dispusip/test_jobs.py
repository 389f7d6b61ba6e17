"""Job lifecycle, in process and through a real Celery worker."""

import io
from unittest import mock

import pytest
from django.db import transaction
from openpyxl import load_workbook

from dispusip import audit, jobs
from dispusip.models import AuditLog, Job
from dispusip.tasks import ekspor_audit_task
from tests.conftest import tunggu_job


def _xlsx_rows(job):
    with job.result_file.open("rb") as fh:
        workbook = load_workbook(io.BytesIO(fh.read()), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook}


@pytest.mark.django_db
def test_mulai_creates_a_queued_job_and_sends_it_only_on_commit(
    admin_dispusip, django_capture_on_commit_callbacks
):
    with mock.patch.object(ekspor_audit_task, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = jobs.mulai(kind="audit.ekspor", oleh=admin_dispusip, params={"filter": {}})
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(job.pk)
    assert job.status == Job.Status.QUEUED
    assert job.unit == admin_dispusip.unit
    assert job.params["bahasa"] == "id"


@pytest.mark.django_db
def test_mulai_refuses_an_unknown_kind(admin_dispusip):
    with pytest.raises(ValueError, match="Unknown job kind"):
        jobs.mulai(kind="tidak.ada", oleh=admin_dispusip)


@pytest.mark.django_db(transaction=True)
def test_jalankan_records_success_with_the_summary(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    jobs.jalankan(job.pk, lambda j: {"baris": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"baris": 3}
    assert job.started_at and job.finished_at
    assert job.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_jalankan_records_an_expected_failure_with_its_message(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)

    def work(j):
        raise jobs.JobGagal("Berkas kosong.")

    jobs.jalankan(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Berkas kosong."


@pytest.mark.django_db(transaction=True)
def test_jalankan_records_an_unexpected_error_and_reraises_it(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)

    def work(j):
        raise ZeroDivisionError("division by zero")

    with pytest.raises(ZeroDivisionError):
        jobs.jalankan(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "kesalahan tak terduga" in job.message


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_finished_job_is_not_run_again(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    jobs.jalankan(job.pk, lambda j: {"n": 1})
    work = mock.Mock()
    jobs.jalankan(job.pk, work)
    work.assert_not_called()


@pytest.mark.django_db(transaction=True, databases=["default", "progress"])
def test_progress_inside_a_transaction_is_visible_before_commit(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip, total=10)
    with transaction.atomic():
        job.laporkan(4, 10, "setengah jalan")  # first report is always written
        seen = Job.objects.using("progress").get(pk=job.pk)
        assert (seen.done, seen.message) == (4, "setengah jalan")


@pytest.mark.django_db(transaction=True)
def test_progress_is_throttled_but_the_last_step_is_always_written(admin_dispusip):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    job.mulai()
    with CaptureQueriesContext(connection) as queries:
        for n in range(1, 1001):
            job.laporkan(n, 1000)
    assert len(queries) <= 3  # the first report, perhaps one more, and the last
    assert Job.objects.get(pk=job.pk).done == 1000


@pytest.mark.django_db(transaction=True)
def test_a_job_is_claimed_once_by_two_deliveries(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    stale = Job.objects.get(pk=job.pk)
    assert job.mulai()
    assert not stale.mulai()  # the second delivery read the row before the first claimed it


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_run_again_on_redelivery(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    job.mulai()  # the first worker claimed it, then died
    jobs.jalankan(job.pk, lambda j: {"n": 1})
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)


@pytest.mark.django_db(transaction=True)
def test_a_job_that_keeps_killing_its_worker_is_given_up(admin_dispusip):
    job = Job.objects.create(
        kind="audit.ekspor",
        started_by=admin_dispusip,
        status=Job.Status.RUNNING,
        attempts=jobs.MAX_PERCOBAAN,
    )
    work = mock.Mock()
    jobs.jalankan(job.pk, work)
    work.assert_not_called()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "tidak dicoba lagi" in job.message


@pytest.mark.django_db(transaction=True)
def test_a_job_that_cannot_be_queued_is_marked_failed(admin_dispusip):
    with mock.patch.object(ekspor_audit_task, "delay", side_effect=ConnectionError("redis down")):
        job = jobs.mulai(kind="audit.ekspor", oleh=admin_dispusip)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Antrean pekerjaan tidak dapat dihubungi" in job.message


@pytest.mark.django_db(transaction=True)
def test_unexpected_errors_are_not_shown_raw(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)

    def work(j):
        raise RuntimeError("password=rahasia host=db.internal")

    with pytest.raises(RuntimeError):
        jobs.jalankan(job.pk, work)
    job.refresh_from_db()
    assert "rahasia" not in job.message
    assert f"#{job.pk}" in job.message


@pytest.mark.django_db
def test_stuck_jobs_are_failed_by_the_sweep(admin_dispusip, settings):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    window = timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT
        + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )
    dead = Job.objects.create(
        kind="audit.ekspor",
        status=Job.Status.RUNNING,
        started_at=now - window - timedelta(minutes=1),
    )
    busy = Job.objects.create(
        kind="audit.ekspor", status=Job.Status.RUNNING, started_at=now - timedelta(hours=1)
    )
    forgotten = Job.objects.create(kind="audit.ekspor", created_at=now - timedelta(days=2))
    assert jobs.tandai_macet(sekarang=now) == 2
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[forgotten.pk] == Job.Status.FAILED
    assert statuses[busy.pk] == Job.Status.RUNNING


@pytest.mark.django_db(transaction=True)
def test_ekspor_splits_into_sheets_past_the_row_limit(admin_dispusip):
    for n in range(5):
        audit.catat(aksi=f"uji.{n}", oleh=admin_dispusip)
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    summary = audit.ekspor_xlsx(job=job, qs=AuditLog.objects.all(), baris_per_sheet=2)
    assert summary == {"baris": 5, "sheet": 3}
    sheets = _xlsx_rows(job)
    assert list(sheets) == ["Log audit 1", "Log audit 2", "Log audit 3"]
    assert [len(rows) for rows in sheets.values()] == [3, 3, 2]  # header + rows
    assert sheets["Log audit 1"][0][:3] == ["ID", "Waktu", "Pelaku"]
    assert sheets["Log audit 3"][1][5] == "uji.4"


@pytest.mark.django_db(transaction=True)
def test_ekspor_writes_formula_like_text_as_text(admin_dispusip, staf_a):
    staf_a.first_name = '=HYPERLINK("http://jahat.example","klik")'
    staf_a.save()
    audit.catat(aksi="pengguna.diubah", oleh=admin_dispusip, objek=staf_a)
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    audit.ekspor_xlsx(job=job, qs=AuditLog.objects.all())
    with job.result_file.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    cell = sheet.cell(row=2, column=9)
    assert cell.value.startswith("=HYPERLINK")
    assert cell.data_type == "s"


@pytest.mark.django_db(transaction=True)
def test_ekspor_of_nothing_still_gives_a_file_with_a_header(admin_dispusip):
    job = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    summary = audit.ekspor_xlsx(job=job, qs=AuditLog.objects.none())
    assert summary == {"baris": 0, "sheet": 1}
    assert len(_xlsx_rows(job)["Log audit 1"]) == 1


@pytest.mark.django_db(transaction=True)
def test_export_job_runs_in_a_real_worker(celery_worker, admin_dispusip, staf_a):
    audit.catat(aksi="pengguna.peran", oleh=admin_dispusip, objek=staf_a)
    audit.catat(aksi="cabang.diubah", oleh=admin_dispusip)
    job = audit.mulai_ekspor(oleh=admin_dispusip, saringan={"aksi": "pengguna"})
    job = tunggu_job(job)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result == {"baris": 1, "sheet": 1}
    assert job.done == job.total == 1
    rows = _xlsx_rows(job)["Log audit 1"]
    assert rows[1][5] == "pengguna.peran"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_in_a_real_worker_is_marked_failed(celery_worker, admin_dispusip):
    job = audit.mulai_ekspor(oleh=admin_dispusip, saringan={"dari": "bukan-tanggal"})
    job = tunggu_job(job)
    assert job.status == Job.Status.FAILED
    assert job.message == "Filter tidak valid: Dari tanggal: Masukkan tanggal yang valid."
    assert not job.result_file


@pytest.mark.django_db(transaction=True)
def test_old_result_files_are_removed(admin_dispusip, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from dispusip.tasks import hapus_berkas_job_lama_task

    old = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    old.simpan_berkas("lama.xlsx", ContentFile(b"x"))
    Job.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - timedelta(days=settings.JOB_RETENTION_DAYS + 1)
    )
    fresh = Job.objects.create(kind="audit.ekspor", started_by=admin_dispusip)
    fresh.simpan_berkas("baru.xlsx", ContentFile(b"y"))
    Job.objects.filter(pk=fresh.pk).update(finished_at=timezone.now())
    path = old.result_file.path

    assert hapus_berkas_job_lama_task() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.result_file
    assert fresh.result_file
    import os

    assert not os.path.exists(path)


@pytest.mark.django_db
def test_starting_an_export_is_itself_audited(admin_dispusip):
    job = audit.mulai_ekspor(oleh=admin_dispusip, saringan={"aksi": "pengguna"}, ip="10.0.0.9")
    entry = AuditLog.objects.get(action="audit.ekspor")
    assert entry.object_id == str(job.pk)
    assert entry.after == {"filter": {"aksi": "pengguna"}}
    assert entry.ip_address == "10.0.0.9"


@pytest.mark.django_db
def test_only_holders_of_the_audit_permission_may_export(staf_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        audit.mulai_ekspor(oleh=staf_a, saringan={})
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_export_fails_if_the_requester_lost_the_right_meanwhile(admin_dispusip, monkeypatch):
    # Run the job here, not on a worker another test may have started.
    monkeypatch.setattr(jobs, "_kirim", lambda task, job_id: None)
    job = audit.mulai_ekspor(oleh=admin_dispusip, saringan={})
    admin_dispusip.groups.clear()
    jobs.jalankan(job.pk, audit.ekspor_job)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "tidak lagi berwenang" in job.message
