"""The database itself refuses to change or delete audit entries, so not even
a raw SQL statement or a bug in a service can rewrite history."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION dispusip_auditlog_tolak_ubah() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Log audit tidak dapat diubah atau dihapus (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dispusip_auditlog_append_only
    BEFORE UPDATE OR DELETE ON dispusip_auditlog
    FOR EACH ROW EXECUTE FUNCTION dispusip_auditlog_tolak_ubah();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS dispusip_auditlog_append_only ON dispusip_auditlog;
DROP FUNCTION IF EXISTS dispusip_auditlog_tolak_ubah();
"""


class Migration(migrations.Migration):
    dependencies = [("dispusip", "0002_unit_dan_cabang_utama")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
