from django.urls import path

from zhuanxing.techmarket import views

app_name = "techmarket"
urlpatterns = [
    path("", views.home, name="home"),
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:demand_id>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:demand_id>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:demand_id>/<slug:action>/", views.demand_action, name="demand_action"),
    path("matches/<int:match_id>/<slug:action>/", views.match_action, name="match_action"),
    path("invitations/", views.invitations, name="invitations"),
    path("for-me/", views.profile_demands, name="profile_demands"),
    path("search/", views.search, name="search"),
    path("profiles/<slug:kind>/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profiles/<slug:kind>/<int:pk>/invite/", views.invite_direct, name="invite_direct"),
    path("reminders/", views.reminders, name="reminders"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:contract_id>/register/", views.contract_register, name="contract_register"),
    path("registrations/", views.registrations, name="registrations"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("events/<int:event_id>/<slug:action>/", views.event_action, name="event_action"),
    path("pairs/<int:pair_id>/outcome/", views.pair_outcome, name="pair_outcome"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation_detail"),
    path(
        "consultations/<int:consultation_id>/<slug:action>/",
        views.consultation_action,
        name="consultation_action",
    ),
    path("statistics/", views.statistics, name="statistics"),
    path("vocabulary/", views.vocabulary, name="vocabulary"),
    path("vocabulary/<int:entry_id>/remove/", views.vocabulary_remove, name="vocabulary_remove"),
]
