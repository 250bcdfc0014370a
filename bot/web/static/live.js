// Live updates: a list with data-stream gets each new message as a server-sent event
// (bot/web/live.py). Without JavaScript the pages still work; they just need a reload.
"use strict";
for (const list of document.querySelectorAll("[data-stream]")) {
  const source = new EventSource(list.dataset.stream + "?after=" + list.dataset.after);
  list.scrollTop = list.scrollHeight;
  source.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (document.getElementById("m" + message.id)) return;
    const item = document.createElement("li");
    item.id = "m" + message.id;
    item.className = "msg " + message.sender;
    const who = document.createElement("strong");
    who.className = "who";
    who.textContent = message.label;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = message.text;
    item.append(who, " ", text);
    list.append(item);
    list.scrollTop = list.scrollHeight;
  };
}
