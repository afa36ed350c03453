from django.dispatch import Signal

#: Sent inside the transaction that saves a new application (sender: Application,
#: application=...). Receivers that queue work do so atomically with the save.
application_submitted = Signal()
