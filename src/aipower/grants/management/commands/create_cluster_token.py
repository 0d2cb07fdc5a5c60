"""``manage.py create_cluster_token NAME``: issue (or replace) a cluster's API token.

The token is printed once and stored only as its SHA-256. Running it again replaces it without
a gap: the token it replaces keeps working for 7 days (the admin's 叢集憑證 list shows until
when, and 撤銷舊憑證 stops it sooner) while the cluster is reconfigured; ``--no-overlap`` stops
it at once (a token that leaked).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aipower.grants import gpu
from aipower.grants.models import ClusterToken


class Command(BaseCommand):
    help = "Issue a bearer token for a cluster's GPU ingest/export API (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("cluster", help="the cluster's name (letters, digits, - and _)")
        parser.add_argument(
            "--no-overlap",
            action="store_true",
            help="stop the token this one replaces at once (default: it keeps working 7 days)",
        )

    def handle(self, *args, cluster, no_overlap=False, **options):
        if not gpu.CLUSTER_NAME.fullmatch(cluster):
            raise CommandError("the cluster name uses letters, digits, - and _ only")
        cluster = gpu.cluster_name(cluster)  # stored in lower case, as Slurm keeps it
        token = gpu.issue_token(cluster, overlap=not no_overlap)
        self.stdout.write(token)
        self.stderr.write(f"token for {cluster}: shown once, stored hashed; keep it safe")
        row = ClusterToken.objects.get(cluster=cluster)
        if row.previous_token_hash:
            until = timezone.localtime(row.previous_expires_at).strftime("%Y-%m-%d %H:%M")
            self.stderr.write(
                f"the token it replaces keeps working until {until} (Asia/Taipei), or until "
                "revoked in the admin (叢集憑證 → 撤銷舊憑證)"
            )
