// Checks a log entry in the reader's own browser, trusting nothing the server computed: the
// entry's leaf hash, its RFC 9162 inclusion proof up to the checkpoint's root, the mission's
// Ed25519 signature on the checkpoint and the witnesses' Ed25519 cosignatures (C2SP
// tlog-cosignature, type 0x04). The receipt's QR code carries `#<leaf hash>.<key fingerprint>`,
// compared with what is computed here. Web Crypto does the hashing and signatures; where it is
// missing (plain HTTP) or lacks Ed25519, the vendored noble libraries do.
import * as ed from "../vendor/noble-ed25519-3.2.0/index.js";
import { sha256 as nobleSha256, sha512 } from "../vendor/noble-hashes-2.4.0/sha2.js";

ed.hashes.sha512 = sha512;

const subtle = globalThis.crypto && globalThis.crypto.subtle;
const encoder = new TextEncoder();
const PROOF_HEADER = "c2sp.org/tlog-proof@v1";
const ED25519 = 0x01;
const COSIGNATURE_ED25519 = 0x04;
const COSIGNATURE_MLDSA44 = 0x06;

class Refused extends Error {}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

function toBase64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function equal(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function sha256(bytes) {
  if (subtle) return new Uint8Array(await subtle.digest("SHA-256", bytes));
  return nobleSha256(bytes);
}

async function ed25519Verify(publicKey, signature, message) {
  if (subtle) {
    try {
      const key = await subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
      return await subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (error) {
      if (error.name !== "NotSupportedError") return false;
      // This browser's Web Crypto has no Ed25519: noble checks it below.
    }
  }
  try {
    return ed.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

// A verifier key `name+hex(key ID)+base64(type || public key)`, its key ID checked.
// Names hold no `+`; the base64 may.
async function parseKey(text, code) {
  const match = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(text);
  if (!match) throw new Refused(code);
  const [, name, idHex, typedBase64] = match;
  const typed = fromBase64(typedBase64);
  const digest = await sha256(concat(encoder.encode(name + "\n"), typed));
  const keyId = new DataView(digest.buffer).getUint32(0);
  if (keyId !== parseInt(idHex, 16)) throw new Refused(code);
  return { text, name, keyId, type: typed[0], publicKey: typed.slice(1) };
}

// A signed note: its text and the signature lines `— name base64(key ID || signature)`.
function parseNote(note) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Refused("signature");
  const signatures = note
    .slice(split + 2)
    .split("\n")
    .filter((line) => line)
    .map((line) => {
      const [name, encoded] = line.replace(/^\u2014 /, "").split(" ");
      const raw = fromBase64(encoded);
      return { name, keyId: new DataView(raw.buffer).getUint32(0), signature: raw.slice(4) };
    });
  return { text: note.slice(0, split + 1), signatures };
}

function parseProof(text) {
  const lines = text.split("\n");
  const blank = lines.indexOf("");
  if (lines[0] !== PROOF_HEADER || blank < 0) throw new Refused("inclusion");
  const indexLine = lines.slice(1, blank).find((line) => line.startsWith("index "));
  const at = lines.indexOf(indexLine);
  return {
    index: Number(indexLine.slice(6)),
    hashes: lines.slice(at + 1, blank).map(fromBase64),
    note: lines.slice(blank + 1).join("\n"),
  };
}

// RFC 9162 section 2.1.3.2: the root that an inclusion proof leads to.
async function rootFromInclusion(index, size, leaf, proof) {
  if (index >= size) throw new Refused("inclusion");
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Refused("inclusion");
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(concat([1], p, r));
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(concat([1], r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Refused("inclusion");
  return r;
}

function findSignature(note, key) {
  return note.signatures.find((s) => s.name === key.name && s.keyId === key.keyId);
}

async function checkCosignature(note, key) {
  if (key.type === COSIGNATURE_MLDSA44) return "not-checked";
  const found = findSignature(note, key);
  if (!found) return "no-cosignature";
  if (key.type !== COSIGNATURE_ED25519 || found.signature.length !== 72) return "bad-cosignature";
  const time = new DataView(found.signature.buffer).getBigUint64(0);
  const message = encoder.encode(`cosignature/v1\ntime ${time}\n${note.text}`);
  const ok = await ed25519Verify(key.publicKey, found.signature.slice(8), message);
  return ok ? "cosignature" : "bad-cosignature";
}

async function verify(box, say) {
  const entry = fromBase64(box.dataset.entry);
  const leaf = await sha256(concat([0], entry));
  if (!equal(leaf, fromBase64(box.dataset.leaf))) throw new Refused("leaf");
  say("leaf");

  const key = await parseKey(box.dataset.key, "signature");
  if (key.type !== ED25519) throw new Refused("signature");
  const [leafFromReceipt, fingerprint] = location.hash.slice(1).split(".");
  if (location.hash) {
    if (leafFromReceipt !== toBase64url(leaf)) throw new Refused("receipt-leaf");
    say("receipt-leaf");
    const computed = toBase64url(await sha256(encoder.encode(key.text)));
    if (fingerprint !== computed) throw new Refused("receipt-key");
    say("receipt-key");
  } else {
    say("no-receipt");
  }

  const proof = parseProof(document.querySelector("[data-testid=proof]").textContent);
  const note = parseNote(proof.note);
  const [origin, sizeLine, rootLine] = note.text.split("\n");
  if (origin !== key.name) throw new Refused("signature");
  const root = await rootFromInclusion(proof.index, Number(sizeLine), leaf, proof.hashes);
  if (!equal(root, fromBase64(rootLine))) throw new Refused("inclusion");
  say("inclusion");

  const signature = findSignature(note, key);
  if (!signature || !(await ed25519Verify(key.publicKey, signature.signature, encoder.encode(note.text)))) {
    throw new Refused("signature");
  }
  say("signature");

  for (const cell of document.querySelectorAll("[data-witness-key]")) {
    const code = await checkCosignature(note, await parseKey(cell.dataset.witnessKey, "bad-cosignature"));
    cell.textContent = message(code);
    cell.dataset.result = code;
    if (code === "bad-cosignature") throw new Refused("bad-cosignature");
  }
}

function message(code) {
  return document.querySelector(`#verify-messages [data-code="${code}"]`).textContent;
}

async function main() {
  const box = document.getElementById("verification");
  if (!box) return;
  const status = box.querySelector("[data-testid=verify-status]");
  const list = box.querySelector("[data-testid=verify-checks]");
  const say = (code, failed = false) => {
    const item = document.createElement("li");
    item.textContent = (failed ? "\u2717 " : "\u2713 ") + message(code);
    item.dataset.check = code;
    list.append(item);
  };
  try {
    await verify(box, say);
    status.textContent = message("ok");
    status.dataset.result = "verified";
  } catch (error) {
    if (error instanceof Refused) say(error.message, true);
    else console.error(error);
    status.textContent = message("failed");
    status.dataset.result = "refused";
  }
}

main();
