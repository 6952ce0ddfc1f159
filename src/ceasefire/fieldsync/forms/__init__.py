"""The XLSForms shipped for each field workflow, defined in Python (forms/*.py).

These definitions are the source of truth: their labels and hints are gettext strings,
translated in this app's catalogues like every other string, so the four language columns of an
XLSForm come from the same translations as the pages. `make forms` writes them out as .xlsx
files (forms/xlsx/, for missions to read or adapt in a spreadsheet); the server converts the same
definitions with pyxform when a phone asks for a form, adding the mission's public key to an
encrypted one. Tests check that the .xlsx files are current and that each form passes ODK
Validate.
"""

from __future__ import annotations

from pathlib import Path

from ceasefire.fieldsync.forms.base import FormDef
from ceasefire.fieldsync.forms.cache_visit import FORM as CACHE_VISIT
from ceasefire.fieldsync.forms.container_count import FORM as CONTAINER_COUNT
from ceasefire.fieldsync.forms.convoy_checkpoint import FORM as CONVOY_CHECKPOINT
from ceasefire.fieldsync.forms.crossings import FORM as CROSSINGS
from ceasefire.fieldsync.forms.custody_event import FORM as CUSTODY_EVENT
from ceasefire.fieldsync.forms.demobilization import FORM as DEMOBILIZATION
from ceasefire.fieldsync.forms.incident_report import FORM as INCIDENT_REPORT
from ceasefire.fieldsync.forms.position_visit import FORM as POSITION_VISIT
from ceasefire.fieldsync.forms.seal_check import FORM as SEAL_CHECK
from ceasefire.fieldsync.forms.weapon_handover import FORM as WEAPON_HANDOVER

FORMS: dict[str, FormDef] = {
    form.form_id: form
    for form in (
        WEAPON_HANDOVER,
        CUSTODY_EVENT,
        POSITION_VISIT,
        CONVOY_CHECKPOINT,
        CROSSINGS,
        INCIDENT_REPORT,
        DEMOBILIZATION,
        SEAL_CHECK,
        CONTAINER_COUNT,
        CACHE_VISIT,
    )
}

# The XLSForms as shipped files, written by `make forms`.
XLSX_DIR = Path(__file__).resolve().parent / "xlsx"
