"""The weapons and ammunition registry: handover receipts and their lines (weapons one per row,
ammunition lots one per lot), custody events, corrections, and the liaisons' co-signatures.

Records are never edited in place. A correction or void is its own row (and log entry); an item's
custody state is its last custody event. Every row that the public may rely on points at the log
entry that was appended with it, in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place


class Category(models.TextChoices):
    """The small-arms and light-weapons taxonomy (UN Register, ITI), plus ammunition."""

    PISTOL = "pistol", _("Revolvers and self-loading pistols")
    RIFLE = "rifle", _("Rifles and carbines")
    SUBMACHINE_GUN = "submachine_gun", _("Sub-machine guns")
    ASSAULT_RIFLE = "assault_rifle", _("Assault rifles")
    LIGHT_MACHINE_GUN = "light_machine_gun", _("Light machine guns")
    HEAVY_MACHINE_GUN = "heavy_machine_gun", _("Heavy machine guns")
    GRENADE_LAUNCHER = "grenade_launcher", _("Grenade launchers")
    HAND_GRENADE = "hand_grenade", _("Hand grenades")
    ANTI_TANK_GUN = "anti_tank_gun", _("Portable anti-tank guns and recoilless rifles")
    ATGM = "atgm", _("Anti-tank guided missile launchers and missiles")
    MANPADS = "manpads", _("Man-portable air-defence systems (MANPADS)")
    MORTAR = "mortar", _("Mortars")
    AMMUNITION = "ammunition", _("Ammunition")
    EXPLOSIVE = "explosive", _("Other explosives")
    OTHER = "other", _("Other")


# Lots are counted by the lot; everything else one row per piece.
LOT_CATEGORIES = frozenset({Category.AMMUNITION, Category.EXPLOSIVE})
WEAPON_CATEGORIES = frozenset(Category) - LOT_CATEGORIES


# The fields a correction may change, by kind of line.
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "weapon": (
        "category",
        "unlisted",
        "make",
        "model",
        "calibre",
        "serial",
        "country",
        "year",
        "markings",
        "markings_location",
        "condition",
    ),
    "lot": ("category", "calibre", "lot_number", "headstamp", "quantity", "condition"),
}


class Markings(models.TextChoices):
    PRESENT = "present", _("Present")
    DEFACED = "defaced", _("Defaced")
    ABSENT = "absent", _("Absent")


class Condition(models.TextChoices):
    SERVICEABLE = "serviceable", _("Serviceable")
    REPAIRABLE = "repairable", _("Repairable")
    UNSERVICEABLE = "unserviceable", _("Unserviceable")
    UNSAFE = "unsafe", _("Unsafe to handle")


class ReferenceWeapon(models.Model):
    """One make and model as the mission always writes it (INTERPOL's reference-table
    approach): choosing from this list keeps the same weapon spelled the same way."""

    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    make = models.CharField(_("make"), max_length=100)
    model = models.CharField(_("model"), max_length=100)
    calibre = models.CharField(_("calibre"), max_length=50)
    # The bore in micrometres, so thresholds (a mortar under 100 mm, the UN Register's 75 mm)
    # can be derived without parsing text.
    calibre_um = models.PositiveIntegerField(_("calibre (micrometres)"), null=True, blank=True)

    class Meta:
        ordering = ["category", "make", "model"]
        verbose_name = _("reference weapon")
        verbose_name_plural = _("reference table")
        constraints = [
            models.UniqueConstraint(fields=["make", "model"], name="reference_make_model_once")
        ]

    def __str__(self) -> str:
        return f"{self.make} {self.model} ({self.calibre})"


class Counter(models.Model):
    """Counters for mission numbers (receipts, weapons, lots). Taking one locks the registry's
    writes, so duplicate checks and numbering see every committed receipt."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Receipt(models.Model):
    """One handover: a party's unit hands weapons and ammunition to the mission."""

    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    collection_point = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("collection point")
    )
    received_at = models.DateTimeField(_("received at"))
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("handing-over party")
    )
    unit = models.CharField(_("handing-over unit"), max_length=200)
    handed_over_by = models.CharField(_("handed over by"), max_length=200, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving officer"),
    )
    witnesses = models.JSONField(_("witnesses"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("handover receipt")
        verbose_name_plural = _("handover receipts")
        # The item lists' order: their first pages are the newest receipts' items.
        indexes = [models.Index(fields=["-received_at", "id"], name="receipt_newest_first")]

    def __str__(self) -> str:
        return self.number


class Item(models.Model):
    """One line of a receipt: a weapon (one row per piece) or an ammunition or explosive lot.
    The values are as recorded; corrections are applied on reading (`selectors.effective`)."""

    class Kind(models.TextChoices):
        WEAPON = "weapon", _("Weapon")
        LOT = "lot", _("Ammunition or explosive lot")

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="items")
    line = models.PositiveIntegerField(_("line"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    mission_id = models.CharField(_("mission ID"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    reference = models.ForeignKey(
        ReferenceWeapon, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Make and model typed in because the reference table lacks them: a flagged exception.
    unlisted = models.BooleanField(_("not in the reference table"), default=False)
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    calibre = models.CharField(_("calibre or type"), max_length=50, blank=True)
    calibre_um = models.PositiveIntegerField(null=True, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    # Normalised make and serial, for the duplicate check.
    make_key = models.CharField(max_length=100, blank=True)
    serial_key = models.CharField(max_length=100, blank=True, db_index=True)
    country = models.CharField(_("country of manufacture"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year of manufacture"), null=True, blank=True)
    markings = models.CharField(_("markings"), max_length=8, choices=Markings.choices, blank=True)
    markings_location = models.CharField(_("where the markings are"), max_length=200, blank=True)
    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices)
    lot_number = models.CharField(_("lot or batch number"), max_length=100, blank=True)
    headstamp = models.CharField(_("headstamp"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["receipt", "line"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [
            models.Index(fields=["make_key", "serial_key"], name="item_make_serial"),
            # For counting the lists (`selectors.item_count`). No index may lead with the kind:
            # SQLite, without statistics, would take it for a page of weapons and sort them all.
            models.Index(fields=["category", "kind"], name="item_category_kind"),
            models.Index(
                fields=["receipt", "kind"],
                condition=~models.Q(kind="weapon"),
                name="item_not_weapon",
            ),
        ]

    def __str__(self) -> str:
        return self.mission_id


class Photo(models.Model):
    """A photo of a receipt or of one of its items. The log holds a sealed commitment of its
    SHA-256 (a bare hash would let anyone holding a leaked photo confirm it)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="photos")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="photos"
    )
    file = models.FileField(upload_to="registry/photos/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.sha256


class CustodyEvent(models.Model):
    """One step in an item's chain of custody. Append-only: the state is the last event."""

    class Kind(models.TextChoices):
        COLLECTED = "collected", _("Collected")
        TRANSPORTED = "transported", _("Transported")
        STORED = "stored", _("Stored")
        INSPECTED = "inspected", _("Inspected")
        DEACTIVATED = "deactivated", _("Deactivated")
        DESTROYED = "destroyed", _("Destroyed")
        LOST = "lost", _("Lost")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="custody_events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
    location = models.CharField(_("store and shelf"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=200, blank=True)
    certificate = models.CharField(_("certificate number"), max_length=100, blank=True)
    witnesses = models.JSONField(_("witnesses"), default=list, blank=True)
    notes = models.TextField(_("notes or loss report"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        # An item's state is its last event (`selectors.items_annotated`).
        indexes = [models.Index(fields=["item", "occurred_at", "id"], name="custody_item_latest")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class Correction(models.Model):
    """A correction (changed fields) or void of an item, as its own record: the item's row
    keeps what was recorded first."""

    class Action(models.TextChoices):
        CORRECT = "correct", _("Correction")
        VOID = "void", _("Void")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="corrections")
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)  # field -> new value
    previous = models.JSONField(default=dict, blank=True)  # field -> value before this correction
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.action} {self.item_id}"


class ItemCount(models.Model):
    """How many items a party's unit handed over of one category, as recorded (corrections and
    voids are applied on reading): the totals and the reconciliation count a million items from
    one row per unit and category. Derived from the items by `services.item_count_sync`; items are
    never edited or deleted, so a counted item stays counted right."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=200)  # as on the receipts, each spelling its own row
    category = models.CharField(max_length=32)
    items = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "unit", "category"], name="item_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.party_id} {self.unit} {self.category} {self.items}"


class ItemCountMark(models.Model):
    """The one row saying up to which item id `ItemCount` has counted. Missing means none."""

    last_item = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_item)


class LiaisonKey(models.Model):
    """A liaison's Ed25519 public key. The private key never leaves the liaison's browser (a
    non-extractable Web Crypto key) or machine (`ceasefire cosign`). Its enrolment is logged with
    its fingerprint, which the party confirms on its own channel."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="liaison_keys"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    public_key = models.BinaryField(max_length=32)
    fingerprint = models.CharField(_("fingerprint"), max_length=43, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("liaison key")
        verbose_name_plural = _("liaison keys")

    def __str__(self) -> str:
        return self.fingerprint


class Cosignature(models.Model):
    """A liaison's Ed25519 signature over the exact bytes of a log entry: a receipt's header
    (which lists its items' leaf hashes, so it signs every item) or a correction."""

    signed_entry = models.ForeignKey(LogEntry, on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(LiaisonKey, on_delete=models.PROTECT, related_name="cosignatures")
    signature = models.BinaryField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["signed_entry", "key"], name="one_cosignature_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.signed_entry_id} by {self.key_id}"
