"""The deployment as it runs: nginx from deploy/ in front of two gunicorn instances."""
