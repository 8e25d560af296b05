import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_alert_settlement")]

    operations = [
        migrations.AddField(
            model_name="reportcategory",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated at"
            ),
            preserve_default=False,
        ),
    ]
