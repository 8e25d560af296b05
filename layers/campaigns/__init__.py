"""The yearly barrier-free monitoring campaign: object owners, their checklists, the
hromada's review, dashboard, reminders and summary (models in ``layers.models.campaigns``).
"""
