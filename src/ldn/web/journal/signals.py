"""`journal_changed`: sent inside the transaction that changed a patient's journal.

Bulk imports write without per-row model signals, so the journal's own services announce every
change here; other apps (insights) listen instead of each hooking the journal's models.
"""

from django.dispatch import Signal

# Keyword arguments: patient_id, and day when the change is to one day only (a check-in, a
# deleted entry, a dose log); without it the change may touch any day.
journal_changed = Signal()
