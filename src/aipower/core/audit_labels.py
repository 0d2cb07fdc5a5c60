"""Readable names of the audit log's actions: one registry for every code passed to
``audit.record``, in every app.

The codes are the apps' (``"review.batch_frozen"``), but the names are only words, so they live
here, where the admin and the review app's audit page both read them; core imports no app.
``tests/core/test_audit_labels.py`` scans the source tree and fails for a recorded code that has
no name here. An unknown code (an old entry whose action was renamed) is shown as it is.
"""

from django.utils.translation import pgettext_lazy

# One context for all of them: "凍結梯次" is a button elsewhere, an event here.
ACTION_LABELS = {
    # core: changes made in the admin (core.admin_audit)
    "admin.add": pgettext_lazy("audit action", "管理設定新增"),
    "admin.change": pgettext_lazy("audit action", "管理設定修改"),
    "admin.delete": pgettext_lazy("audit action", "管理設定刪除"),
    "admin.view": pgettext_lazy("audit action", "管理設定檢視個人資料"),
    # accounts: sign-in of companies (card) and staff, staff accounts
    "card-login.succeeded": pgettext_lazy("audit action", "企業憑證登入"),
    "card-login.failed": pgettext_lazy("audit action", "企業憑證登入失敗"),
    "card-login.throttled": pgettext_lazy("audit action", "企業憑證登入嘗試過多"),
    "card-login.logout": pgettext_lazy("audit action", "企業登出"),
    "staff.login": pgettext_lazy("audit action", "工作人員登入"),
    "staff.logout": pgettext_lazy("audit action", "工作人員登出"),
    "session.idle_sign_out": pgettext_lazy("audit action", "閒置逾時自動登出"),
    "staff.login_failed": pgettext_lazy("audit action", "工作人員登入失敗"),
    "staff.login_throttled": pgettext_lazy("audit action", "工作人員登入嘗試過多"),
    "staff.created": pgettext_lazy("audit action", "建立工作人員帳號"),
    "staff.device_replaced": pgettext_lazy("audit action", "更換工作人員驗證裝置"),
    "staff.device_secret_viewed": pgettext_lazy("audit action", "檢視工作人員驗證裝置金鑰"),
    "staff.password_changed": pgettext_lazy("audit action", "工作人員變更密碼"),
    "staff.enrolment_issued": pgettext_lazy("audit action", "核發工作人員設定連結"),
    "staff.enrolment_mail_failed": pgettext_lazy("audit action", "工作人員設定連結寄送失敗"),
    "staff.enrolled": pgettext_lazy("audit action", "工作人員完成帳號設定"),
    "staff.password_reset_requested": pgettext_lazy("audit action", "工作人員申請重設密碼"),
    "staff.password_reset_throttled": pgettext_lazy("audit action", "工作人員重設密碼申請過多"),
    "staff.deactivated": pgettext_lazy("audit action", "停用工作人員帳號"),
    "staff.reactivated": pgettext_lazy("audit action", "啟用工作人員帳號"),
    "staff.role_changed": pgettext_lazy("audit action", "變更工作人員角色"),
    "staff.roles_synced": pgettext_lazy("audit action", "同步工作人員角色權限"),
    # calls: the programme year's call set up (again) from its seed data (manage.py seed_call)
    "calls.seeded": pgettext_lazy("audit action", "依徵件文件建立或還原徵件設定"),
    # registry: the data set uploaded on the staff page
    "registry.import_uploaded": pgettext_lazy("audit action", "上傳稅籍資料檔"),
    # registry: the data set's import (the uploaded file's, or the command line's)
    "registry.imported": pgettext_lazy("audit action", "匯入稅籍資料（取代使用中的資料）"),
    "registry.import_failed": pgettext_lazy("audit action", "稅籍資料檔匯入失敗"),
    # grants: the staff's usage overview
    "grants.usage_exported": pgettext_lazy("audit action", "下載算力使用概況"),
    # applications
    "application.submitted": pgettext_lazy("audit action", "申請案送出"),
    "application.updated": pgettext_lazy("audit action", "申請表更新"),
    "application.transition": pgettext_lazy("audit action", "申請案狀態變更"),
    "mail.view": pgettext_lazy("audit action", "檢視寄送郵件"),
    "mail.list_viewed": pgettext_lazy("audit action", "檢視郵件寄送紀錄列表"),
    "mail.resend": pgettext_lazy("audit action", "重新寄送郵件"),
    # review
    "review.batch_frozen": pgettext_lazy("audit action", "凍結梯次"),
    "review.batch_changed": pgettext_lazy("audit action", "申請案改列梯次"),
    "review.assigned": pgettext_lazy("audit action", "指派審查委員"),
    "review.unassigned": pgettext_lazy("audit action", "取消指派審查委員"),
    "review.award_start_set": pgettext_lazy("audit action", "設定使用期間起日"),
    "review.conflict_declared": pgettext_lazy("audit action", "利益迴避聲明"),
    "review.conflict_found": pgettext_lazy("audit action", "指派後偵測利益衝突"),
    "review.conflict_flag_cleared": pgettext_lazy("audit action", "確認非利益衝突（系統標記）"),
    "review.startup_priority_settled": pgettext_lazy("audit action", "確認新創優先資格"),
    "review.affiliations_updated": pgettext_lazy("audit action", "審查委員更新任職或關係機構"),
    "review.scores_submitted": pgettext_lazy("audit action", "送出評分"),
    "review.scores_saved": pgettext_lazy("audit action", "儲存評分草稿"),
    "review.scores_reopened": pgettext_lazy("audit action", "開放修改評分"),
    "review.reviewers_reminded": pgettext_lazy("audit action", "提醒審查委員"),
    "review.decision_staged": pgettext_lazy("audit action", "記錄審查會議決議"),
    "review.points_overridden": pgettext_lazy("audit action", "調整核發點數"),
    "review.decision_sent_back": pgettext_lazy("audit action", "主辦單位退回決議"),
    "review.batch_approved": pgettext_lazy("audit action", "核定名單並公告"),
    "review.award_created": pgettext_lazy("audit action", "建立核定紀錄"),
    "review.application_viewed": pgettext_lazy("audit action", "檢視申請案"),
    "review.assignment_viewed": pgettext_lazy("audit action", "檢視評分案件"),
    "review.application_printed": pgettext_lazy("audit action", "列印申請案"),
    "review.application_pdf": pgettext_lazy("audit action", "下載申請案PDF"),
    "review.meeting_exported": pgettext_lazy("audit action", "匯出審查會議排名表"),
    # grants
    "grants.adjust": pgettext_lazy("audit action", "調整點數"),
    "grants.state": pgettext_lazy("audit action", "變更算力服務狀態"),
    "grants.issue_cluster_token": pgettext_lazy("audit action", "核發叢集憑證"),
    "grants.revoke_cluster_token": pgettext_lazy("audit action", "撤銷叢集憑證"),
    "grants.revoke_previous_cluster_token": pgettext_lazy("audit action", "撤銷叢集舊憑證"),
    "grants.import_sacct": pgettext_lazy("audit action", "匯入叢集作業紀錄"),
    # gateway
    "gateway.key_created": pgettext_lazy("audit action", "建立API金鑰"),
    "gateway.key_revoked": pgettext_lazy("audit action", "撤銷API金鑰"),
    "gateway.model_withdrawn": pgettext_lazy("audit action", "停用或禁止模型清單之模型"),
    # compliance
    "compliance.violation_recorded": pgettext_lazy("audit action", "登錄違規紀錄"),
    "compliance.violation_decided": pgettext_lazy("audit action", "決定違規處分"),
    "compliance.suspension_lifted": pgettext_lazy("audit action", "解除停權"),
    "compliance.pledge_checked": pgettext_lazy("audit action", "查核開源承諾"),
    "compliance.exported": pgettext_lazy("audit action", "匯出違規紀錄"),
    # deliverables
    "deliverables.submitted": pgettext_lazy("audit action", "繳交成果"),
    "deliverables.demo_attendance": pgettext_lazy("audit action", "登錄產品demo會議出席"),
    "deliverables.exported": pgettext_lazy("audit action", "匯出成果繳交清單"),
    "deliverables.printed": pgettext_lazy("audit action", "列印成果繳交清單"),
    "deliverables.downloaded": pgettext_lazy("audit action", "下載成果檔案"),
    # followup
    "followup.round_opened": pgettext_lazy("audit action", "開啟產品化調查"),
    "followup.round_changed": pgettext_lazy("audit action", "修改產品化調查"),
    "followup.submitted": pgettext_lazy("audit action", "填報產品化調查"),
    "followup.printed": pgettext_lazy("audit action", "列印產品化調查填報情形"),
    "followup.exported": pgettext_lazy("audit action", "匯出產品化調查填報情形"),
    "followup.response_viewed": pgettext_lazy("audit action", "檢視產品化調查填報內容"),
    # privacy
    "privacy.request_filed": pgettext_lazy("audit action", "提出個人資料請求"),
    "privacy.request_viewed": pgettext_lazy("audit action", "檢視個人資料請求"),
    "privacy.requests_listed": pgettext_lazy("audit action", "檢視個人資料請求列表"),
    "privacy.request_state": pgettext_lazy("audit action", "個人資料請求狀態變更"),
    "privacy.copy_downloaded": pgettext_lazy("audit action", "下載個人資料副本"),
    "privacy.profile_viewed": pgettext_lazy("audit action", "檢視待更正之個人資料"),
    "privacy.profile_corrected": pgettext_lazy("audit action", "更正個人資料"),
    "privacy.personal_data_erased": pgettext_lazy("audit action", "刪除個人資料"),
}


def action_label(code):
    """The readable name of ``code`` in the current language; the code itself if it has none."""
    return ACTION_LABELS.get(code, code)
