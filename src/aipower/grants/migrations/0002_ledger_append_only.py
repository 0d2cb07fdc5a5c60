"""The ledger is append-only in the database itself, not only by convention of the code: an
UPDATE of a ledger entry is refused on both databases, a DELETE on PostgreSQL. (SQLite, the
development default, keeps DELETE: Django empties test databases with it; PostgreSQL's flush
uses TRUNCATE, which row triggers do not see.)"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION grants_ledgerentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'grants_ledgerentry is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER grants_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON grants_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION grants_ledgerentry_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS grants_ledgerentry_append_only ON grants_ledgerentry;
DROP FUNCTION IF EXISTS grants_ledgerentry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER grants_ledgerentry_append_only BEFORE UPDATE ON grants_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'grants_ledgerentry is append-only: UPDATE refused');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS grants_ledgerentry_append_only;"


def _run(statements):
    def run(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
