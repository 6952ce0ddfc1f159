"""The reference table's first contents: the weapons common in such a handover. Loaded by a data
migration; the mission adds more through the admin's reference page or the API."""

from __future__ import annotations

from ceasefire.registry.models import Category

# (category, make, model, calibre, bore in micrometres)
SEED: list[tuple[str, str, str, str, int]] = [
    (Category.PISTOL, "Makarov", "PM", "9×18 mm", 9000),
    (Category.PISTOL, "Stechkin", "APS", "9×18 mm", 9000),
    (Category.PISTOL, "Tokarev", "TT-33", "7.62×25 mm", 7620),
    (Category.RIFLE, "Simonov", "SKS", "7.62×39 mm", 7620),
    (Category.RIFLE, "Mosin", "M1891/30", "7.62×54R mm", 7620),
    (Category.RIFLE, "Dragunov", "SVD", "7.62×54R mm", 7620),
    (Category.SUBMACHINE_GUN, "Shpagin", "PPSh-41", "7.62×25 mm", 7620),
    (Category.SUBMACHINE_GUN, "Kalashnikov", "AKS-74U", "5.45×39 mm", 5450),
    (Category.ASSAULT_RIFLE, "Kalashnikov", "AK-74", "5.45×39 mm", 5450),
    (Category.ASSAULT_RIFLE, "Kalashnikov", "AKS-74", "5.45×39 mm", 5450),
    (Category.ASSAULT_RIFLE, "Kalashnikov", "AKM", "7.62×39 mm", 7620),
    (Category.ASSAULT_RIFLE, "Kalashnikov", "AKMS", "7.62×39 mm", 7620),
    (Category.ASSAULT_RIFLE, "Kalashnikov", "AK-47", "7.62×39 mm", 7620),
    (Category.LIGHT_MACHINE_GUN, "Kalashnikov", "RPK", "7.62×39 mm", 7620),
    (Category.LIGHT_MACHINE_GUN, "Kalashnikov", "RPK-74", "5.45×39 mm", 5450),
    (Category.LIGHT_MACHINE_GUN, "Kalashnikov", "PKM", "7.62×54R mm", 7620),
    (Category.HEAVY_MACHINE_GUN, "Degtyaryov", "DShKM", "12.7×108 mm", 12700),
    (Category.HEAVY_MACHINE_GUN, "Nikitin", "NSV", "12.7×108 mm", 12700),
    (Category.HEAVY_MACHINE_GUN, "Vladimirov", "KPVT", "14.5×114 mm", 14500),
    (Category.GRENADE_LAUNCHER, "Bazalt", "RPG-7", "40 mm", 40000),
    (Category.GRENADE_LAUNCHER, "Bazalt", "RPG-18", "64 mm", 64000),
    (Category.GRENADE_LAUNCHER, "Bazalt", "RPG-22", "72.5 mm", 72500),
    (Category.GRENADE_LAUNCHER, "Pribor", "AGS-17", "30 mm", 30000),
    (Category.GRENADE_LAUNCHER, "Tula", "GP-25", "40 mm", 40000),
    (Category.HAND_GRENADE, "State arsenal", "F-1", "defensive, fragmentation", 55000),
    (Category.HAND_GRENADE, "State arsenal", "RGD-5", "offensive, fragmentation", 58000),
    (Category.HAND_GRENADE, "State arsenal", "RKG-3", "anti-tank", 70000),
    (Category.ANTI_TANK_GUN, "Bazalt", "SPG-9", "73 mm", 73000),
    (Category.ANTI_TANK_GUN, "Bazalt", "B-10", "82 mm", 82000),
    (Category.ATGM, "Tula KBP", "9M113 Konkurs", "135 mm", 135000),
    (Category.ATGM, "Kolomna KBM", "9M14 Malyutka", "125 mm", 125000),
    (Category.ATGM, "Tula KBP", "9K111 Fagot", "120 mm", 120000),
    (Category.MANPADS, "Kolomna KBM", "9K38 Igla", "72 mm", 72000),
    (Category.MANPADS, "Kolomna KBM", "9K32 Strela-2", "72 mm", 72000),
    (Category.MORTAR, "State arsenal", "2B14 Podnos 82 mm", "82 mm", 82000),
    (Category.MORTAR, "State arsenal", "BM-37 82 mm", "82 mm", 82000),
    (Category.MORTAR, "State arsenal", "M-43 120 mm", "120 mm", 120000),
    (Category.MORTAR, "State arsenal", "2B9 Vasilek", "82 mm", 82000),
]

# Calibres and types suggested for ammunition and explosive lots (free text is accepted).
LOT_TYPES: list[str] = [
    "5.45×39 mm",
    "7.62×39 mm",
    "7.62×54R mm",
    "9×18 mm",
    "12.7×108 mm",
    "14.5×114 mm",
    "PG-7V 40 mm rocket",
    "VOG-25 40 mm",
    "82 mm mortar bomb",
    "120 mm mortar bomb",
    "TNT 200 g block",
    "PMN anti-personnel mine",
    "TM-62 anti-tank mine",
]
