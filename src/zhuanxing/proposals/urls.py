from django.urls import path

from zhuanxing.proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.import_proposals, name="import"),
    path("templates/", views.templates, name="templates"),
    path("templates/<int:template_id>/file/", views.template_file, name="template_file"),
    path("statistics/", views.statistics, name="statistics"),
    path("mine/", views.mine, name="mine"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:proposal_id>/", views.public_detail, name="public_detail"),
    path("<int:proposal_id>/", views.detail, name="detail"),
    path("<int:proposal_id>/act/", views.act, name="act"),
    path("drafts/<int:draft_id>/reply.docx", views.draft_docx, name="draft_docx"),
    path("drafts/<int:draft_id>/reply.pdf", views.draft_pdf, name="draft_pdf"),
]
