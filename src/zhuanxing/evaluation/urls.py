from django.urls import path

from zhuanxing.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.run_create, name="run_create"),
    path("flags/", views.flag_set, name="flag_set"),
    path("analysis/", views.analysis, name="analysis"),
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/<int:objection_id>/decide/", views.objection_decide, name="objection_decide"),
    path("objections/<int:objection_id>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("mine/", views.my_results, name="my_results"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/whatif/", views.whatif, name="whatif"),
    path("runs/<int:run_id>/diff/", views.run_diff, name="run_diff"),
    path("runs/<int:run_id>/report-cards.zip", views.report_cards_zip, name="report_cards_zip"),
    path("runs/<int:run_id>/policies.xlsx", views.policy_export, name="policy_export"),
    path("runs/<int:run_id>/<slug:action>/", views.run_action, name="run_action"),
    path("results/<int:result_id>/", views.report_card, name="report_card"),
    path("results/<int:result_id>/simulate/", views.simulate, name="simulate"),
    path("results/<int:result_id>/pdf/", views.report_card_pdf_view, name="report_card_pdf"),
    path("results/<int:result_id>/object/", views.objection_create, name="objection_create"),
    path("results/<int:result_id>/regrade/", views.regrade, name="regrade"),
]
