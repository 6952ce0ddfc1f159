// Co-signing in the liaison's browser. The Ed25519 key is made here, non-extractable, and kept
// in IndexedDB: the private key never leaves this browser. Before signing, every sealed value
// shown is checked against the commitment in the log entry (HMAC-SHA-256 of its canonical
// JSON), and each line's entry against the leaf hashes the header lists.
"use strict";

(() => {
  const root = document.getElementById("cosign");
  if (!root) return;
  const $ = (selector) => root.querySelector(selector);
  const text = (key) => root.dataset[key];
  const enc = new TextEncoder();
  const decoder = new TextDecoder();
  const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  let entryBytes = null;
  let checked = false;
  let key = null;

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("ceasefire-cosign", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("keys");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function dbGet(name) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const request = db.transaction("keys").objectStore("keys").get(name);
      request.onsuccess = () => resolve(request.result || null);
      request.onerror = () => reject(request.error);
    });
  }

  async function dbPut(name, value) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("keys", "readwrite");
      tx.objectStore("keys").put(value, name);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error ? data.error.message : response.statusText);
    return data;
  }

  async function leafHash(bytes) {
    const data = new Uint8Array(bytes.length + 1);
    data.set(bytes, 1);
    return b64(await crypto.subtle.digest("SHA-256", data));
  }

  async function commitment(secret, valueJson) {
    const hmacKey = await crypto.subtle.importKey(
      "raw", unb64(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return b64(await crypto.subtle.sign("HMAC", hmacKey, enc.encode(valueJson)));
  }

  function row(cells, ok) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.appendChild(td);
    }
    const status = document.createElement("td");
    status.textContent = ok ? text("msgOk") : text("msgBad");
    status.className = ok ? "good" : "bad";
    tr.appendChild(status);
    return tr;
  }

  async function check() {
    const response = await fetch(root.dataset.signingUrl, { credentials: "same-origin" });
    const data = await response.json();
    entryBytes = unb64(data.entry);
    const header = JSON.parse(decoder.decode(entryBytes));
    const listed = (header.fields && header.fields.items) || [];
    const byLeaf = {};
    let allOk = listed.length === data.items.length;
    for (const item of data.items) {
      const bytes = unb64(item);
      const leaf = await leafHash(bytes);
      byLeaf[leaf] = JSON.parse(decoder.decode(bytes));
      allOk = allOk && listed.includes(leaf);
    }
    const tbody = $("table[data-testid=openings] tbody");
    tbody.replaceChildren();
    for (const opening of data.openings) {
      // The lines' entries come just before the header, in the order it lists them.
      const position = listed.length - (data.index - opening.index);
      const body = opening.index === data.index ? header : byLeaf[listed[position]] || null;
      const expected = body && body.sealed ? body.sealed[opening.field] : null;
      const ok = expected === (await commitment(opening.secret, opening.value_json));
      allOk = allOk && ok;
      const name = body && body.fields && body.fields.mission_id;
      const label = name ? `${opening.index} (${name})` : `${opening.index}`;
      tbody.appendChild(row([label, opening.field, formatValue(opening.value_json)], ok));
    }
    checked = allOk;
    const summary = $("[data-testid=check-summary]");
    summary.textContent = allOk ? text("msgAllOk") : text("msgSomeBad");
    summary.className = allOk ? "good" : "bad";
    update();
  }

  function formatValue(valueJson) {
    const value = JSON.parse(valueJson);
    if (Array.isArray(value)) return value.join(", ");
    if (value && typeof value === "object") return Object.values(value).filter((v) => v).join(", ");
    return String(value);
  }

  function update() {
    const status = $("[data-testid=key-status]");
    const create = $("[data-action=create-key]");
    if (key) {
      status.textContent = `${text("msgKey")} ${key.fingerprint}`;
      create.hidden = true;
    } else {
      status.textContent = text("msgNoKey");
      create.hidden = false;
    }
    $("[data-action=sign]").disabled = !(key && checked && entryBytes);
  }

  async function fingerprintOf(raw) {
    const digest = b64(await crypto.subtle.digest("SHA-256", raw));
    return digest.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  }

  async function createKey() {
    let pair;
    try {
      pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    } catch (error) {
      $("[data-testid=key-status]").textContent = text("msgNoWebcrypto");
      return;
    }
    const raw = await crypto.subtle.exportKey("raw", pair.publicKey);
    const fingerprint = await fingerprintOf(raw);
    await post(root.dataset.enrolUrl, { public_key: b64(raw), label: navigator.userAgent.slice(0, 100) });
    key = { privateKey: pair.privateKey, fingerprint };
    await dbPut(root.dataset.keyName, key);
    update();
  }

  async function upload(fingerprint, signature) {
    const result = $("[data-testid=sign-result]");
    try {
      await post(root.dataset.cosignUrl, { fingerprint, signature });
      result.textContent = text("msgSigned");
      result.className = "good";
      window.location.reload();
    } catch (error) {
      result.textContent = error.message;
      result.className = "bad";
    }
  }

  async function sign() {
    const signature = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, entryBytes);
    await upload(key.fingerprint, b64(signature));
  }

  root.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "download") {
      if (!entryBytes) return;
      action.href = URL.createObjectURL(new Blob([entryBytes], { type: "application/octet-stream" }));
      return;
    }
    event.preventDefault();
    if (action.dataset.action === "create-key") createKey();
    if (action.dataset.action === "sign") sign();
    if (action.dataset.action === "upload") {
      upload(root.querySelector("input[name=fingerprint]").value.trim(),
        root.querySelector("input[name=signature]").value.trim());
    }
  });

  (async () => {
    key = await dbGet(root.dataset.keyName);
    update();
    await check();
  })();
})();
