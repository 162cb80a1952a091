from django.urls import path

from tradeloop.conversations import views

app_name = "conversations"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:conversation_id>/", views.conversation, name="thread"),
    path("messages/ask/<int:product_id>/", views.ask_product, name="ask_product"),
    path("messages/order/<str:number>/", views.ask_order, name="ask_order"),
    path("console/<int:org_id>/messages/", views.console_inbox, name="console_inbox"),
    path("console/<int:org_id>/messages/<int:conversation_id>/", views.console_thread, name="console_thread"),
]
