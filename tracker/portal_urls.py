from django.urls import path

from . import dashboard, feeds, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhiem-vu/excel/", views.export_tasks, name="export"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/buoc/<str:step>/", views.task_step, name="task_step"),
    path("van-ban/<int:pk>/", views.directive_detail, name="directive"),
    path("van-ban/goi-y/", views.directive_options, name="directive_options"),
    path("don-vi/", views.department_overview, name="department"),
    path("tong-hop/", dashboard.dashboard, name="dashboard"),
    path("tong-hop/bao-cao-thang.xlsx", dashboard.monthly_report, name="monthly_report"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/da-doc/", views.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/<int:pk>/", views.notification_open, name="notification"),
    path("lich/", feeds.calendars_page, name="calendars"),
    path("lich/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
]
