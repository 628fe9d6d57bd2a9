from django.urls import path

from . import imports, proposals, views

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("departments/", views.DepartmentList.as_view(), name="departments"),
    path("directives/", views.DirectiveList.as_view(), name="directives"),
    path("directives/<int:pk>/", views.DirectiveDetail.as_view(), name="directive"),
    path("directives/<int:pk>/import/", imports.DirectiveImport.as_view(), name="directive_import"),
    path(
        "directives/<int:pk>/proposals/",
        proposals.DirectiveProposals.as_view(),
        name="directive_proposals",
    ),
    path("proposals/<int:pk>/", proposals.ProposalBatchDetail.as_view(), name="proposal_batch"),
    path(
        "proposals/<int:pk>/confirm/",
        proposals.ProposalBatchConfirm.as_view(),
        name="proposal_batch_confirm",
    ),
    path(
        "proposals/<int:pk>/discard/",
        proposals.ProposalBatchDiscard.as_view(),
        name="proposal_batch_discard",
    ),
    path("tasks/", views.TaskList.as_view(), name="tasks"),
    path("tasks/<int:pk>/", views.TaskDetail.as_view(), name="task"),
    path("tasks/<int:pk>/events/", views.TaskEvents.as_view(), name="task_events"),
    path("tasks/<int:pk>/reports/", views.TaskReports.as_view(), name="task_reports"),
    path("tasks/<int:pk>/extensions/", views.TaskExtensions.as_view(), name="task_extensions"),
    path("tasks/<int:pk>/attachments/", views.TaskAttachments.as_view(), name="task_attachments"),
    path("tasks/<int:pk>/actions/<str:step>/", views.TaskAction.as_view(), name="task_action"),
    path("attachments/<str:token>/", views.AttachmentDownload.as_view(), name="attachment"),
    path("statistics/", views.Statistics.as_view(), name="statistics"),
    path("ranking/", views.Ranking.as_view(), name="ranking"),
]
