"""Schedules: time-triggered jobs wherever they are written, for ``cron-jitter`` and ``guardrails schedule``.

One reader module per source format (crontab, Kubernetes, GitHub Actions, systemd, Go,
Python, PHP) turns a file into ``Schedule`` units; ``timing`` evaluates them (cron through
croniter, systemd calendar events through ``oncalendar``); ``collide`` compares the jobs of
one file; ``source`` is the input's loader and ``command`` the ``schedule`` subcommand.
"""
