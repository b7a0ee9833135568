// leadkit chat widget: a chat box that talks to POST /chat.
//
// <div id="leadkit-chat" data-bot="BOT-UUID" data-greeting="Hi!"></div>
// <script src="/leadkit/widget.js" defer></script>
//
// Optional attributes: data-endpoint (default "/chat"), data-visitor and
// data-signature (a visitor id signed by your backend). Text is shown with
// textContent only, never parsed as HTML. The conversation id and the token
// the server issued with it are kept for the browser tab (sessionStorage).
(function () {
  "use strict";
  var root = document.getElementById("leadkit-chat");
  if (!root) { return; }
  var bot = root.getAttribute("data-bot");
  var endpoint = root.getAttribute("data-endpoint") || "/chat";
  var storageKey = "leadkit-conversation-" + bot;
  var tokenKey = "leadkit-token-" + bot;
  var conversation = null;
  var token = null;
  try {
    conversation = window.sessionStorage.getItem(storageKey);
    token = window.sessionStorage.getItem(tokenKey);
  } catch (e) { conversation = null; }

  root.classList.add("leadkit-chat");
  var log = document.createElement("div");
  log.className = "leadkit-log";
  log.id = "leadkit-log";
  log.setAttribute("aria-live", "polite");
  var form = document.createElement("form");
  form.className = "leadkit-form";
  form.id = "leadkit-form";
  var input = document.createElement("input");
  input.id = "leadkit-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 4000;
  input.placeholder = "Type a message…";
  input.setAttribute("aria-label", "Message");
  var send = document.createElement("button");
  send.id = "leadkit-send";
  send.type = "submit";
  send.textContent = "Send";
  form.appendChild(input);
  form.appendChild(send);
  root.appendChild(log);
  root.appendChild(form);

  function line(kind, text) {
    var item = document.createElement("div");
    item.className = "leadkit-msg " + kind;
    item.textContent = text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  var greeting = root.getAttribute("data-greeting");
  if (greeting) { line("bot greeting", greeting); }

  function forget() {
    conversation = null;
    token = null;
    try {
      window.sessionStorage.removeItem(storageKey);
      window.sessionStorage.removeItem(tokenKey);
    } catch (e) { /* private mode */ }
  }

  // What the visitor reads when a message cannot be sent (the server's own
  // messages are written for developers).
  var REFUSED = {
    403: "This conversation can no longer be continued. Reload the page to start a new one.",
    409: "Your previous message is still being handled. Please send this one again.",
    429: "Too many messages at once. Please wait a moment and try again."
  };
  var RESTARTED = "Your earlier conversation could not be continued, so a new one was started.";

  // One POST /chat. A 409 means another message of this conversation was
  // being handled and nothing was stored: send it once more after the
  // server's Retry-After. A 403 conversation_not_issued means the stored
  // conversation is no longer accepted (its token was refused: the
  // server's key changed, or the stored token was altered): say so, and
  // start a new one with the same message. A second refusal is shown.
  function post(body, mayRetry) {
    return fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 409 && mayRetry) {
        var seconds = parseInt(response.headers.get("Retry-After") || "1", 10);
        var wait = Math.min(Math.max(isNaN(seconds) ? 1 : seconds, 0), 10) * 1000;
        return new Promise(function (resolve) { setTimeout(resolve, wait); })
          .then(function () { return post(body, false); });
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 403 && data.error === "conversation_not_issued" && body.conversation && mayRetry) {
          forget();
          line("notice", RESTARTED);
          delete body.conversation;
          delete body.token;
          return post(body, false);
        }
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || send.disabled) { return; }
    line("visitor", text);
    input.value = "";
    send.disabled = true;
    var body = { bot: bot, message: text };
    if (conversation && token) { body.conversation = conversation; body.token = token; }
    var visitor = root.getAttribute("data-visitor");
    var signature = root.getAttribute("data-signature");
    if (visitor && signature) { body.visitor = visitor; body.signature = signature; }
    post(body, true).then(function (result) {
      if (!result.ok) {
        if (result.status === 403) { forget(); }
        line("error", REFUSED[result.status] || result.data.message || "Something went wrong.");
        return;
      }
      var data = result.data;
      conversation = data.conversation;
      token = data.token;
      try {
        window.sessionStorage.setItem(storageKey, conversation);
        window.sessionStorage.setItem(tokenKey, token);
      } catch (e) { /* private mode */ }
      var item = line("bot", data.reply);
      item.setAttribute("data-action", data.action);
      item.setAttribute("data-turn", String(data.turn));
      if (data.lead_captured) { root.setAttribute("data-lead-captured", "true"); }
    }).catch(function () {
      line("error", "The chat is unreachable; try again.");
    }).then(function () {
      send.disabled = false;
      input.focus();
    });
  });
}());
