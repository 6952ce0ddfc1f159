"""Reading submitted XML safely. Everything a phone sends is parsed here, with defusedxml and no
DTD allowed: an XML bomb or an external entity is refused as a bad request before any of it is
expanded."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from ceasefire.core.errors import ValidationFailed
from ceasefire.fieldsync.crypto import Envelope

ENCRYPTED_NS = "http://www.opendatakit.org/xforms/encrypted"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def parse(data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True)
    except (DefusedXmlException, ParseError, ValueError):
        raise ValidationFailed(
            _(
                "The form data sent by the phone is not valid XML. Send it again; if this "
                "repeats, tell the mission's analyst."
            ),
            field="xml_submission_file",
        ) from None
    return root


@dataclass(frozen=True)
class Node:
    """One element of an instance, addressed by paths of local names (`group/field`), so the
    handlers need not care about namespaces."""

    element: Element

    def _children(self, name: str) -> list[Element]:
        return [child for child in self.element if _local(child.tag) == name]

    def all(self, path: str) -> list[Node]:
        nodes = [self.element]
        for name in path.split("/"):
            nodes = [c for n in nodes for c in Node(n)._children(name)]
        return [Node(n) for n in nodes]

    def text(self, path: str) -> str:
        found = self.all(path)
        return (found[0].element.text or "").strip() if found else ""


@dataclass(frozen=True)
class Instance(Node):
    form_id: str
    version: str
    instance_id: str

    @property
    def encrypted(self) -> bool:
        return self.element.get("encrypted") == "yes" or self.element.tag.startswith(
            "{" + ENCRYPTED_NS
        )

    def envelope(self) -> Envelope:
        return Envelope(
            instance_id=self.instance_id,
            wrapped_key=self.text("base64EncryptedKey"),
            media=[n.element.text or "" for n in self.all("media/file")],
            xml_file=self.text("encryptedXmlFile"),
        )


def read_instance(data: bytes) -> Instance:
    root = parse(data)
    node = Node(root)
    instance_id = node.text("meta/instanceID")
    form_id = root.get("id", "")
    if not instance_id or not form_id:
        raise ValidationFailed(
            _(
                "The form data lacks its form ID or instance ID. Update the form on the phone "
                "(Get blank form) and fill it again."
            ),
            field="xml_submission_file",
        )
    return Instance(root, form_id, root.get("version", ""), instance_id)
