from django.urls import path

from . import files

app_name = "files"
urlpatterns = [
    path("<str:token>/", files.download_attachment, name="attachment"),
]
