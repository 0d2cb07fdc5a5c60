"""``manage.py create_cluster_token NAME``: issue (or replace) a cluster's API token.

The token is printed once and stored only as its SHA-256; running it again replaces it.
"""

import re

from django.core.management.base import BaseCommand, CommandError

from aipower.grants import gpu


class Command(BaseCommand):
    help = "Issue a bearer token for a cluster's GPU ingest/export API (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("cluster", help="the cluster's name (letters, digits, - and _)")

    def handle(self, *args, cluster, **options):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", cluster):
            raise CommandError("the cluster name uses letters, digits, - and _ only")
        token = gpu.issue_token(cluster)
        self.stdout.write(token)
        self.stderr.write(f"token for {cluster}: shown once, stored hashed; keep it safe")
