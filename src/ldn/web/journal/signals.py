"""`journal_changed`: sent inside the transaction that changed a patient's journal.

Bulk imports write without per-row model signals, so the journal's own services announce every
change here; other apps (insights) listen instead of each hooking the journal's models.
"""

from django.dispatch import Signal

journal_changed = Signal()  # keyword argument: patient_id
