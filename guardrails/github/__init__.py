"""The pull request: its context, check runs and the summary comment."""
