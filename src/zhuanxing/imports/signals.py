"""What the imports tell the apps above them, without importing them.

``year_data_changed`` is sent inside the transaction that applied or rolled back a batch,
with ``year``; listeners that compute from the year's figures (the warnings) subscribe."""

from django.dispatch import Signal

year_data_changed = Signal()
