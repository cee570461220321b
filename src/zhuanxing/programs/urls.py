from django.urls import path

from zhuanxing.programs import views

app_name = "programs"
urlpatterns = [
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/shipped/", views.policy_load_shipped, name="policy_load_shipped"),
    path("policies/<int:policy_id>/", views.policy_detail, name="policy_detail"),
    path("policies/<int:policy_id>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<int:policy_id>/document/", views.policy_document, name="policy_document"),
    path("policies/<int:policy_id>/calculate/", views.policy_calculate, name="policy_calculate"),
    path("policies/<int:policy_id>/approve/", views.policy_approve, name="policy_approve"),
    path(
        "policies/<int:policy_id>/apply/<slug:clause_id>/",
        views.application_create,
        name="application_create",
    ),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/edit/", views.application_edit, name="application_edit"),
    path(
        "applications/<int:application_id>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("overdue/", views.overdue, name="overdue"),
    path("statistics/", views.statistics, name="statistics"),
    path("automatic/", views.automatic, name="automatic"),
    path("automatic/scan/", views.automatic_scan, name="automatic_scan"),
    path("objections/<int:objection_id>/decide/", views.objection_decide, name="objection_decide"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("notice/", views.notice_list, name="notice_list"),
    path("notice/<int:application_id>/object/", views.notice_object, name="notice_object"),
    path("notice/captcha.png", views.notice_captcha, name="notice_captcha"),
]
