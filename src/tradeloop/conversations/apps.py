from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "tradeloop.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tradeloop.conversations.selectors import unread_for_buyer

        def warm_unread_count(sender, user, **kwargs) -> None:
            unread_for_buyer(user)  # the header shows it on every page: have it cached from the start

        user_logged_in.connect(warm_unread_count, dispatch_uid="conversations.warm_unread_count", weak=False)
