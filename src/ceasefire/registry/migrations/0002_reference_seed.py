from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The reference table's first rows, as they stood when this migration was written.
SEED = [
    ("pistol", "Makarov", "PM", "9×18 mm", 9000),
    ("pistol", "Stechkin", "APS", "9×18 mm", 9000),
    ("pistol", "Tokarev", "TT-33", "7.62×25 mm", 7620),
    ("rifle", "Simonov", "SKS", "7.62×39 mm", 7620),
    ("rifle", "Mosin", "M1891/30", "7.62×54R mm", 7620),
    ("rifle", "Dragunov", "SVD", "7.62×54R mm", 7620),
    ("submachine_gun", "Shpagin", "PPSh-41", "7.62×25 mm", 7620),
    ("submachine_gun", "Kalashnikov", "AKS-74U", "5.45×39 mm", 5450),
    ("assault_rifle", "Kalashnikov", "AK-74", "5.45×39 mm", 5450),
    ("assault_rifle", "Kalashnikov", "AKS-74", "5.45×39 mm", 5450),
    ("assault_rifle", "Kalashnikov", "AKM", "7.62×39 mm", 7620),
    ("assault_rifle", "Kalashnikov", "AKMS", "7.62×39 mm", 7620),
    ("assault_rifle", "Kalashnikov", "AK-47", "7.62×39 mm", 7620),
    ("light_machine_gun", "Kalashnikov", "RPK", "7.62×39 mm", 7620),
    ("light_machine_gun", "Kalashnikov", "RPK-74", "5.45×39 mm", 5450),
    ("light_machine_gun", "Kalashnikov", "PKM", "7.62×54R mm", 7620),
    ("heavy_machine_gun", "Degtyaryov", "DShKM", "12.7×108 mm", 12700),
    ("heavy_machine_gun", "Nikitin", "NSV", "12.7×108 mm", 12700),
    ("heavy_machine_gun", "Vladimirov", "KPVT", "14.5×114 mm", 14500),
    ("grenade_launcher", "Bazalt", "RPG-7", "40 mm", 40000),
    ("grenade_launcher", "Bazalt", "RPG-18", "64 mm", 64000),
    ("grenade_launcher", "Bazalt", "RPG-22", "72.5 mm", 72500),
    ("grenade_launcher", "Pribor", "AGS-17", "30 mm", 30000),
    ("grenade_launcher", "Tula", "GP-25", "40 mm", 40000),
    ("hand_grenade", "State arsenal", "F-1", "defensive, fragmentation", 55000),
    ("hand_grenade", "State arsenal", "RGD-5", "offensive, fragmentation", 58000),
    ("hand_grenade", "State arsenal", "RKG-3", "anti-tank", 70000),
    ("anti_tank_gun", "Bazalt", "SPG-9", "73 mm", 73000),
    ("anti_tank_gun", "Bazalt", "B-10", "82 mm", 82000),
    ("atgm", "Tula KBP", "9M113 Konkurs", "135 mm", 135000),
    ("atgm", "Kolomna KBM", "9M14 Malyutka", "125 mm", 125000),
    ("atgm", "Tula KBP", "9K111 Fagot", "120 mm", 120000),
    ("manpads", "Kolomna KBM", "9K38 Igla", "72 mm", 72000),
    ("manpads", "Kolomna KBM", "9K32 Strela-2", "72 mm", 72000),
    ("mortar", "State arsenal", "2B14 Podnos 82 mm", "82 mm", 82000),
    ("mortar", "State arsenal", "BM-37 82 mm", "82 mm", 82000),
    ("mortar", "State arsenal", "M-43 120 mm", "120 mm", 120000),
    ("mortar", "State arsenal", "2B9 Vasilek", "82 mm", 82000),
]


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    reference = apps.get_model("registry", "ReferenceWeapon")
    for category, make, model, calibre, calibre_um in SEED:
        reference.objects.get_or_create(
            make=make,
            model=model,
            defaults={"category": category, "calibre": calibre, "calibre_um": calibre_um},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
