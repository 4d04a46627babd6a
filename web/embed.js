// embed.js — the embedding example's script (web/embed.html): start a client on
// the chosen database and list its groups and events. The end-to-end tests use
// this page as a blank page of the app's origin.
import { start } from "./simplex.js";

const log = (text) => {
  const li = document.createElement("li");
  li.className = "msg";
  li.textContent = text;
  document.getElementById("log").append(li);
};

document.getElementById("start").addEventListener("click", async () => {
  try {
    const chat = await start({ db: document.getElementById("db").value || "embed-demo" });
    globalThis.chat = chat;
    log(`ready; persistent storage: ${chat.persisted}`);
    for (const t of ["message", "member", "contact", "group", "delivery", "error", "closed"]) {
      chat.on(t, (ev) => log(`${t}: ${JSON.stringify(ev)}`));
    }
    log(`groups: ${JSON.stringify(await chat.groups())}`);
  } catch (e) {
    log(`start failed: ${e.code} ${e.message}`);
  }
});
